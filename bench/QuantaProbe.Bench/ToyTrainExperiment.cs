using System.Diagnostics;
using QuantaProbe.Toy.SparseParity;

namespace QuantaProbe.Bench;

internal static class ToyTrainExperiment
{
    public static int Run(string[] args)
    {
        int tasks = int.Parse(args[1]), bits = int.Parse(args[2]), steps = int.Parse(args[3]), batch = int.Parse(args[4]);
        var widths = args[5].Split(',').Select(int.Parse).ToArray();
        double lr = args.Length > 6 ? double.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture) : 1e-3;
        var task = new SparseParityTask(tasks, bits, 3, 0.4, 0);
        // eval: 200 examples per subtask
        int per = 200;
        var sub = new int[tasks * per]; var b = new byte[sub.Length * bits]; var lab = new byte[sub.Length];
        var er = new Random(99);
        for (int i = 0; i < sub.Length; i++)
        {
            sub[i] = i / per;
            for (int j = 0; j < bits; j++) b[i * bits + j] = (byte)er.Next(2);
            lab[i] = task.Label(sub[i], b.AsSpan(i * bits, bits));
        }
        foreach (int width in widths)
        {
            var w = MlpWeights.Initialize(task.InputWidth, width, new Random(1));
            var trainer = new MlpTrainer(task, w, batch, lr, Environment.ProcessorCount);
            var rng = new Random(2);
            var sw = Stopwatch.StartNew();
            for (int s = 1; s <= steps; s++)
            {
                double loss = trainer.Step(rng);
                if (s % (steps / 5) == 0)
                {
                    var l = MlpEvaluator.Losses(task, w, sub, b, lab);
                    var perTask = Enumerable.Range(0, tasks).Select(t => l.Skip(t * per).Take(per).Average()).ToArray();
                    Console.WriteLine($"w={width} step {s} train {loss:F3} {sw.Elapsed.TotalSeconds:F1}s learned(<0.1)={perTask.Count(x => x < 0.1)} : " + string.Join(" ", perTask.Select(x => x.ToString("F2"))));
                }
            }
        }
        return 0;
    }
}
