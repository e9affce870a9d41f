using ScottPlot;

namespace QuantaProbe.Report.Figures;

/// <summary>The report's figures: each plot saved as a PNG under figures/, referenced relatively from index.html.</summary>
internal sealed class FigureSet(string reportFolder)
{
    public const string Folder = "figures";
    private readonly List<string> _files = [];

    public IReadOnlyList<string> Files => _files;

    /// <summary>Saves the plot and returns its path relative to the report folder.</summary>
    public string Save(Plot plot, string name, int width = 720, int height = 440)
    {
        var relative = $"{Folder}/{name}.png";
        var path = Path.Combine(reportFolder, Folder, name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        plot.SavePng(path, width, height);
        _files.Add(relative);
        return relative;
    }

    /// <summary>A file-name-safe form of a model name; names that had to change get a hash suffix, so "a b" and "a_b" stay two files.</summary>
    public static string Slug(string name)
    {
        string slug = new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return slug == name ? slug : slug + "-" + Core.Sha256File.Of(System.Text.Encoding.UTF8.GetBytes(name))[..8];
    }
}
