using System.Diagnostics;
using System.Globalization;

namespace SequentialNet.Benchmark;

/// <summary>
/// Where the time of one training step goes: the compiled model's train plan run op by op (waiting after each),
/// timed over several steps; prints each op's mean milliseconds per step and share, largest first, and the sums per
/// kind of op (conv forward, input gradient, kernel gradient, pooling, Adam, …).
/// </summary>
internal static class StepProfile
{
    public static void Print(Model model, int batch, int steps, TextWriter o)
    {
        var compiled = model.CompiledForTests ?? throw new InvalidOperationException("StepProfile: compile and fit the model first.");
        var plan = compiled.Plan(PlanKind.Train, batch);
        var ticks = new long[plan.OpCount];
        plan.RunTimed(compiled.Backend, new long[plan.OpCount]);   // warm-up
        for (int s = 0; s < steps; s++) plan.RunTimed(compiled.Backend, ticks);
        double ms(long t) => t * 1000.0 / Stopwatch.Frequency / steps;
        double total = ms(ticks.Sum());
        static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
        o.WriteLine();
        o.WriteLine($"One training step at batch {batch}, op by op (mean of {steps} steps, waiting after each op): {F(total)} ms");
        o.WriteLine("| op (output shape) | ms/step | share |");
        o.WriteLine("|---|---|---|");
        foreach (int i in Enumerable.Range(0, plan.OpCount).OrderByDescending(i => ticks[i]).Where(i => ms(ticks[i]) >= 0.01 * total))
            o.WriteLine($"| {plan.Describe(i)} | {F(ms(ticks[i]))} | {F(100 * ms(ticks[i]) / total)}% |");
        o.WriteLine();
        o.WriteLine("| kind of op | ms/step | share |");
        o.WriteLine("|---|---|---|");
        foreach (var group in Enumerable.Range(0, plan.OpCount).GroupBy(i => plan.Describe(i).Split(' ')[0]).OrderByDescending(g => g.Sum(i => ticks[i])))
        {
            double t = ms(group.Sum(i => ticks[i]));
            o.WriteLine($"| {group.Key} ×{group.Count()} | {F(t)} | {F(100 * t / total)}% |");
        }
    }
}
