using System.Globalization;

namespace QuantaProbe.Tests.Inference;

/// <summary>The table in ../shared/models/README.md: one row per trained model.</summary>
internal sealed record ModelsTableRow(string Model, long Step, long Parameters, long NonEmbedding, double MeanLoss)
{
    public static string ModelsRoot => Path.Combine(SharedData.Root, "models");

    public static IReadOnlyList<ModelsTableRow> Load()
    {
        var rows = new List<ModelsTableRow>();
        foreach (var line in File.ReadLines(Path.Combine(ModelsRoot, "README.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 7 || !cells[1].StartsWith("pythia", StringComparison.Ordinal))
                continue;
            static long Count(string s) => long.Parse(s.Replace(",", ""), CultureInfo.InvariantCulture);
            rows.Add(new ModelsTableRow(cells[1], Count(cells[2]), Count(cells[3]), Count(cells[4]),
                double.Parse(cells[5], CultureInfo.InvariantCulture)));
        }
        return rows;
    }
}
