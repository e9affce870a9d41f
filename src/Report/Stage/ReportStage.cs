using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;
using QuantaProbe.Report.Sections;
using QuantaProbe.Report;

namespace QuantaProbe.Report.Stage;

/// <summary>
/// <c>quanta report</c>: RUN/report/index.html (self-contained: inline CSS, PNG figures under
/// report/figures/, no script, no network) and RUN/report/summary.json (every number the page shows),
/// from decompose's outputs (required) and, where present, the gradients, tokens and ground truth.
/// A section whose stage has not run says which command adds it.
/// </summary>
public static class ReportStage
{
    public static async Task<ReportResult> RunAsync(ReportOptions options, CancellationToken cancel = default)
    {
        options.Validate();
        var runFolder = options.RunFolder;
        if (!Directory.Exists(runFolder))
            throw new QuantaException($"{runFolder}: run folder not found; pass the folder that `quanta ingest --out` created");
        var decompose = DecomposeSummary.Read(runFolder);
        IngestedRun.Open(runFolder);
        using var writing = RunFolderLock.Acquire(runFolder, ShardSpec.All);

        using var folder = new ReportFolder(runFolder);
        var ctx = new ReportContext(runFolder, options, decompose, folder.Building);
        var builders = new (string What, Func<Task<ReportSection?>> Build)[]
        {
            ("models", () => Task.FromResult<ReportSection?>(ModelsSection.Build(ctx))),
            ("scaling laws", () => Task.FromResult<ReportSection?>(ScalingSection.Build(ctx))),
            ("loss distributions", () => Task.FromResult<ReportSection?>(LossDistributionSection.Build(ctx))),
            ("token curves", async () => await TokenKindsSection.BuildAsync(ctx)),
            ("QDG", async () => await QuantaSection.BuildAsync(ctx, what => options.Progress?.Invoke(4, 7, what))),
            ("ground truth", () => GroundTruthSection.BuildAsync(ctx)),
            ("time scaling", () => Task.FromResult<ReportSection?>(TimeScalingSection.Build(ctx))),
            ("learning order", async () => await LearningOrderSection.BuildAsync(ctx)),
            ("corpus exponents", () => Task.FromResult<ReportSection?>(CorpusExponentsSection.Build(ctx))),
        };
        var sections = new List<ReportSection>();
        for (int i = 0; i < builders.Length; i++)
        {
            cancel.ThrowIfCancellationRequested();
            options.Progress?.Invoke(i, builders.Length + 1, builders[i].What);
            if (await builders[i].Build() is { } section)
                sections.Add(section);
        }
        options.Progress?.Invoke(builders.Length, builders.Length + 1, "page");
        sections.Add(new ReportSection("numbers", "All numbers", Markup.Paragraph("Every number above, with its 95% interval where there is one (also in report/summary.json).") + ctx.Numbers.ToHtml(), true));

        var json = new JsonObject
        {
            ["stage"] = "report",
            ["tool_version"] = typeof(ReportStage).Assembly.GetName().Version?.ToString(),
            ["run"] = Path.GetFullPath(runFolder),
            ["decompose_summary"] = RunPaths.DecomposeSummary(Path.GetFullPath(runFolder)),
            ["sections"] = new JsonArray(sections.Select(s => (JsonNode)new JsonObject { ["id"] = s.Id, ["title"] = s.Title, ["shown"] = s.Shown }).ToArray()),
            ["figures"] = new JsonArray(ctx.Figures.Files.Select(f => (JsonNode)f).ToArray()),
        };
        foreach (var (key, value) in ctx.Json.ToList())
        {
            ctx.Json.Remove(key);
            json[key] = value;
        }
        json["numbers"] = ctx.Numbers.ToJson();
        string title = $"QuantaProbe report: {Path.GetFileName(Path.GetFullPath(runFolder).TrimEnd(Path.DirectorySeparatorChar))}";
        string subtitle = $"Run folder {Path.GetFullPath(runFolder)}; the Quantization Model of Neural Scaling (Michaud et al. 2023) measured on this family.";
        AtomicFile.WriteAllText(Path.Combine(folder.Building, RunPaths.SummaryFile), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        AtomicFile.WriteAllText(Path.Combine(folder.Building, "index.html"), HtmlPage.Render(title, subtitle, sections));
        folder.Commit();
        options.Progress?.Invoke(builders.Length + 1, builders.Length + 1, "done");
        return new ReportResult(Path.Combine(folder.Final, "index.html"), Path.Combine(folder.Final, RunPaths.SummaryFile), ctx.Figures.Files,
            sections.Where(s => s.Shown).Select(s => s.Id).ToList(), sections.Where(s => !s.Shown).Select(s => s.Id).ToList());
    }
}
