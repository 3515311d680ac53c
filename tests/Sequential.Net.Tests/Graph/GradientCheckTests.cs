using SequentialNet.Graph;

namespace SequentialNet.Tests.Graph;

/// <summary>
/// Autodiff against central differences, in float64 on the reference evaluator (docs/testing.md: eps 1e-6,
/// atol 1e-5, rtol 1e-3), for every case of the op table.
/// </summary>
public class GradientCheckTests
{
    private const double Eps = 1e-6, Atol = 1e-5, Rtol = 1e-3;

    public static IEnumerable<OpCase> Cases => OpCases.All();

    [TestCaseSource(nameof(Cases))]
    public void AnalyticGradientMatchesFiniteDifferences(OpCase opCase)
    {
        var b = opCase.Build(seed: 1234);
        var evaluator = new ReferenceEvaluator(b.Graph.Nodes, new ReferenceContext { Seed = 42, RngStep = 3 });
        var values = evaluator.Run(b.Feeds, batch: 1);
        for (int k = 0; k < b.Wrt.Length; k++)
        {
            Node input = b.Wrt[k];
            Assert.That(b.Grads[k], Is.Not.Null, $"{opCase}: no gradient for input {k}");
            double[] analytic = values[b.Grads[k]!];
            double[] x = b.Feeds[input];
            for (int i = 0; i < x.Length; i++)
            {
                double saved = x[i];
                x[i] = saved + Eps; double plus = Loss(evaluator, b);
                x[i] = saved - Eps; double minus = Loss(evaluator, b);
                x[i] = saved;
                double numeric = (plus - minus) / (2 * Eps);
                Assert.That(Math.Abs(analytic[i] - numeric), Is.LessThanOrEqualTo(Atol + Rtol * Math.Abs(numeric)),
                    $"{opCase}: d/d{input.Name}[{i}] analytic {analytic[i]} vs numeric {numeric}");
            }
        }
    }

    private static double Loss(ReferenceEvaluator evaluator, OpCase.Built b) => evaluator.Run(b.Feeds, 1, b.Loss)[b.Loss][0];
}
