using QuantaProbe.Core;
using QuantaProbe.Core.Options;

namespace QuantaProbe.Models.Gradients;

/// <summary>
/// How grad.onnx reduces each per-example gradient: exactly, or sketched with seeded Gaussian
/// projections of k_in input and k_out output dimensions per linear layer.
/// </summary>
public sealed record GradientOptions(GradientMode Mode = GradientMode.Sketch, int KIn = GradientOptions.DefaultWidth, int KOut = GradientOptions.DefaultWidth, long Seed = 0)
{
    public const int DefaultWidth = 16;

    public static GradientOptions Exact { get; } = new(GradientMode.Exact);

    public static GradientOptions Sketch(int kIn = DefaultWidth, int kOut = DefaultWidth, long seed = 0) => new(GradientMode.Sketch, kIn, kOut, seed);

    internal void Validate()
    {
        if (Mode != GradientMode.Sketch)
            return;
        Settings.KIn.Check(KIn);
        Settings.KOut.Check(KOut);
    }

    /// <summary>The gradient sketch's settings: part of <c>quanta gradients</c> and of the run config's <c>gradients</c> object.</summary>
    public static class Settings
    {
        private static readonly SettingGroup Group = new("gradients", section: "gradients");

        public static readonly Setting<int> KIn = Group.Add("k_in", DefaultWidth, SettingFormats.Int,
            "Sketch width on the input side of each matrix", SettingGroup.Between(1, 4096));

        public static readonly Setting<int> KOut = Group.Add("k_out", DefaultWidth, SettingFormats.Int,
            "Sketch width on the output side of each matrix", SettingGroup.Between(1, 4096));

        public static readonly Setting<int> ProjectionSeed = Group.Add("projection_seed", 0, SettingFormats.Int, "Seed of the random projections");

        public static readonly Setting<bool> Exact = Group.Add("exact", false, SettingFormats.Bool, "Full gradients instead of sketches (small models)");

        public static IReadOnlyList<Setting> All => Group.All;

        public static GradientOptions From(ISettingSource source)
        {
            if (!source.Get(Exact))
                return Sketch(source.Get(KIn), source.Get(KOut), source.Get(ProjectionSeed));
            if (source.Has(KIn) || source.Has(KOut))
                throw Exact.Invalid("true", $"{KIn.Name} and {KOut.Name} do not apply to exact gradients; drop one or the other");
            return GradientOptions.Exact;
        }
    }
}
