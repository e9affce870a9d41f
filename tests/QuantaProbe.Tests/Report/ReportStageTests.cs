using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using QuantaProbe.Core;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Report;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Stage;

namespace QuantaProbe.Tests.Report;

[Trait("tier", "slow")]
public class ReportStageTests(ReportRun run) : IClassFixture<ReportRun>
{
    private static readonly byte[] PngMagic = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task The_report_shows_every_section_with_decomposes_numbers_valid_figures_and_escaped_contexts()
    {
        var result = await ReportStage.RunAsync(new ReportOptions { RunFolder = run.Folder, ContextTokens = 64 });
        var html = File.ReadAllText(result.IndexPath);
        var report = JsonNode.Parse(File.ReadAllText(result.SummaryPath))!;
        var decompose = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Folder, "decompose", "summary.json")))!;

        string[] shown = ["models", "scaling", "distributions", "tokens", "qdg", "learning-order", "corpus-exponents", "numbers"];
        foreach (var id in shown)
            Assert.Contains($"<section id=\"{id}\">", html);
        Assert.Equal(shown, result.SectionsShown);
        Assert.Equal(["time-scaling"], result.SectionsMissing); // one checkpoint per size and no schedule: nothing to fit over training

        Assert.DoesNotContain("ground-truth", html);

        // Every figure is a PNG that exists; the page names no network resource and has no script.
        var sources = Regex.Matches(html, "<img src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(sources.Count >= 6, $"{sources.Count} figures");
        Assert.Equal(sources.Order(), result.Figures.Order());
        foreach (var src in sources)
        {
            var bytes = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(result.IndexPath)!, src));
            Assert.True(bytes.Length > 1000 && bytes.AsSpan(0, 8).SequenceEqual(PngMagic), $"{src} is not a PNG");
        }
        Assert.DoesNotMatch("(?i)https?://", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        // Numbers are decompose's, unchanged.
        var models = decompose["models"]!.AsArray();
        for (int i = 0; i < models.Count; i++)
        {
            Assert.Equal(models[i]!["mean_loss"]!.GetValue<double>(), report["models"]![i]!["mean_loss"]!.GetValue<double>());
            Assert.Contains(Markup.Number(models[i]!["mean_loss"]!.GetValue<double>()), html);
        }
        double alpha = decompose["scaling_in_parameters"]!["pure"]!["alpha"]!.GetValue<double>();
        Assert.Equal(alpha, report["scaling_in_parameters"]!["pure"]!["alpha"]!.GetValue<double>());
        var alphaRow = report["numbers"]!.AsArray().Single(n => n!["quantity"]!.GetValue<string>().StartsWith("α_N, pure"))!;
        Assert.Equal(alpha, alphaRow["value"]!.GetValue<double>());
        Assert.Equal(decompose["scaling_in_parameters"]!["pure"]!["alpha_ci"]!.ToJsonString(), alphaRow["ci"]!.ToJsonString());
        var qdg = decompose["qdg"]!["models"]![ReportRun.Models[0]]!;
        var reportQdg = report["qdg"]!["models"]![ReportRun.Models[0]]!;
        Assert.Equal(qdg["envelope_slope"]!.ToJsonString(), reportQdg["envelope_slope"]!.ToJsonString());
        Assert.Equal(decompose["qdg"]!["predicted_slope"]!.ToJsonString(), report["qdg"]!["predicted_slope"]!.ToJsonString());
        Assert.Contains(Markup.Number(qdg["envelope_slope"]!["value"]!.GetValue<double>()), html);
        Assert.Equal(decompose["token_kinds"]!.ToJsonString(), report["token_kinds"]!.ToJsonString());

        // The largest clusters with their contexts: sizes from decompose, hostile document text escaped, newlines as ⏎.
        var clusters = reportQdg["largest_clusters"]!.AsArray();
        Assert.Equal(6, clusters.Count);
        Assert.Equal(qdg["largest_clusters"]!.AsArray().Select(s => s!.GetValue<int>()).Take(6), clusters.Select(c => c!["size"]!.GetValue<int>()));
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;⏎", html);
        Assert.Contains("&lt;b&gt;&amp;amp;⏎", html);
        Assert.All(clusters, c => Assert.NotEmpty(c!["contexts"]!.AsArray()));
        Assert.Contains(ReportRun.Hostile[..8], clusters[0]!["contexts"]![0]!["context_before"]!.GetValue<string>());
        Assert.Matches("<mark>[^<]+</mark>", html);
    }

    [Fact]
    public void Token_contexts_are_escaped_and_show_newlines()
    {
        var html = TokenContextHtml.Render("if a < b && c > d\r\n\t", "</mark><script>", "\"x\"\n");
        Assert.Equal("<span class=\"context\">if a &lt; b &amp;&amp; c &gt; d⏎\n→<mark>&lt;/mark&gt;&lt;script&gt;</mark><span class=\"after\">&quot;x&quot;⏎\n</span></span>", html);
    }

    [Fact]
    public async Task Without_gradients_the_qdg_section_says_which_command_adds_it()
    {
        using var tmp = new TempFolder();
        var copy = run.CopyTo(tmp);
        Directory.Delete(Path.Combine(copy, "gradients"), recursive: true);
        Directory.Delete(Path.Combine(copy, "decompose"), recursive: true);
        await DecomposeStage.RunAsync(ReportRun.Decompose(copy));
        var result = await ReportStage.RunAsync(new ReportOptions { RunFolder = copy });
        Assert.Equal(["qdg", "time-scaling"], result.SectionsMissing);
        var html = File.ReadAllText(result.IndexPath);
        Assert.Matches("class=\"missing\">No QDG results: [^<]*Run <code>quanta gradients", html);
        Assert.Contains("<section id=\"tokens\">", html);
    }

    [Fact]
    public async Task A_missing_documents_part_is_an_error_naming_it_not_an_empty_context()
    {
        using var tmp = new TempFolder();
        var copy = run.CopyTo(tmp);
        // Without its tokenizer (changed since ingest, as for a toy run) the report shows the document text.
        var ingest = Path.Combine(copy, "ingest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ingest))!;
        manifest["tokenizer_sha256"] = new string('0', 64);
        File.WriteAllText(ingest, manifest.ToJsonString());
        var documents = Path.Combine(copy, "documents", "part-00000.parquet");
        File.Delete(documents);
        var e = await Assert.ThrowsAsync<QuantaException>(() => ReportStage.RunAsync(new ReportOptions { RunFolder = copy }));
        Assert.StartsWith($"{documents}: not found; re-run the stage that wrote the documents", e.Message);
        Assert.False(Directory.Exists(Path.Combine(copy, "report")));
    }

    [Theory]
    [InlineData("\"mean_loss_ci\"", "\"mean_loss_interval\"", "'mean_loss_ci'")]
    [InlineData("\"scaling_in_steps\"", "\"scaling_in_step\"", "'scaling_in_steps'")]
    [InlineData("\"envelope_slope\"", "\"envelope_fit\"", "'envelope_slope' is missing (in qdg.models.")]
    public async Task A_renamed_key_in_decompose_summary_fails_in_one_line_naming_file_and_field(string key, string renamed, string field)
    {
        using var tmp = new TempFolder();
        var copy = run.CopyTo(tmp);
        var summary = Path.Combine(copy, "decompose", "summary.json");
        File.WriteAllText(summary, File.ReadAllText(summary).Replace(key, renamed));
        var e = await Assert.ThrowsAsync<QuantaException>(() => ReportStage.RunAsync(new ReportOptions { RunFolder = copy }));
        Assert.StartsWith($"{summary}: field {field}", e.Message);
        Assert.Contains(key.Trim('"'), e.Message);
        Assert.EndsWith($"re-run `quanta decompose --run {copy}`", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(Directory.Exists(Path.Combine(copy, "report")));
    }

    [Fact]
    public async Task Without_decompose_the_report_is_an_error_and_an_old_report_stays_whole()
    {
        using var tmp = new TempFolder();
        var copy = run.CopyTo(tmp);
        var first = await ReportStage.RunAsync(new ReportOptions { RunFolder = copy });
        var before = File.ReadAllBytes(first.IndexPath);
        File.Delete(Path.Combine(copy, "decompose", "summary.json"));
        var e = await Assert.ThrowsAsync<QuantaException>(() => ReportStage.RunAsync(new ReportOptions { RunFolder = copy }));
        Assert.Equal($"{Path.Combine(copy, "decompose", "summary.json")}: not found; re-run `quanta decompose --run {copy}`", e.Message);
        Assert.Equal(before, File.ReadAllBytes(first.IndexPath));
        Assert.Equal(["figures", "index.html", "summary.json"], Directory.GetFileSystemEntries(Path.Combine(copy, "report")).Select(Path.GetFileName).Order());
        Assert.False(Directory.Exists(Path.Combine(copy, ".report.tmp")));
    }

    [Fact]
    [Trait("needs", "browser")]
    public async Task Headless_chromium_renders_the_report_and_check_report_passes()
    {
        Assert.True(new[] { "chromium", "chromium-browser", "google-chrome" }.Any(OnPath),
            "no headless Chromium (chromium, chromium-browser or google-chrome) on PATH: run ./setup.sh, which installs the 'chromium' package");
        using var tmp = new TempFolder();
        var copy = run.CopyTo(tmp);
        await ReportStage.RunAsync(new ReportOptions { RunFolder = copy });
        var shot = Path.Combine(tmp.Path, "shot.png");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(SharedData.RepoRoot, "scripts", "check-report.sh"), copy, shot })
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            await p.WaitForExitAsync(timeout.Token);
        Assert.True(p.ExitCode == 0, $"check-report.sh failed: {await stdout} {await stderr}");
        Assert.True(new FileInfo(shot).Length > 10_000);

        // And it fails on a page that refers to the network.
        File.AppendAllText(Path.Combine(copy, "report", "index.html"), "<img src=\"https://example.com/x.png\">");
        using var bad = Process.Start(info)!;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
            await bad.WaitForExitAsync(timeout.Token);
        Assert.Equal(1, bad.ExitCode);
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, program)));
}
