using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>A per-row loss of predictions (…, cols) against targets; see <see cref="LossKind"/>.</summary>
internal sealed class LossOp(LossKind kind, LossParams param) : Op
{
    public LossKind Kind { get; } = kind;
    public LossParams Param { get; } = param;
    public override string Name => Kind.ToString();

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node p = args.Node.Inputs[0];
        backend.Loss(Kind, args[0], args[1], args.Output, p.Rows(args.Batch), p.Cols, Param);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Inputs[0].Cols;
        for (int r = 0; r < output.Length; r++)
            output[r] = LossReference.Row(Kind, Param, inputs[0].AsSpan(r * cols, cols), inputs[1], r, cols);
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dloss)
    {
        Node p = node.Inputs[0];
        return [g.Add(new LossGradOp(Kind, Param), [p, node.Inputs[1], dloss], p.Shape, p.Batched), null];
    }
}

/// <summary>dpred = ∂loss[row]/∂pred · dloss[row].</summary>
internal sealed class LossGradOp(LossKind kind, LossParams param) : Op
{
    public override string Name => kind + "_grad";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.LossBackward(kind, args[0], args[1], args[2], args.Output, args.Node.Rows(args.Batch), args.Node.Cols, param);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Cols;
        for (int i = 0; i < output.Length; i++)
        {
            int r = i / cols;
            output[i] = LossReference.Derivative(kind, param, inputs[0].AsSpan(r * cols, cols), i % cols, inputs[1], r, cols) * inputs[2][r];
        }
    }
}

/// <summary>Float64 formulas of every <see cref="LossKind"/>, the reference the backends are tested against.</summary>
internal static class LossReference
{
    private const double Eps = 1e-7;   // Keras backend.epsilon()

    private static double T(double[] target, int r, int j, int cols, LossKind kind)
        => kind == LossKind.SparseCategoricalCrossentropy ? ((int)target[r] == j ? 1 : 0) : target[r * cols + j];

    public static double Row(LossKind kind, LossParams parameters, ReadOnlySpan<double> p, double[] target, int r, int cols)
    {
        if (RowLossReference.Handles(kind)) return RowLossReference.Row(kind, p, target.AsSpan(r * cols, cols));
        double param = parameters.Value;
        double s = 0, sumP = 0;
        foreach (double v in p) sumP += v;
        for (int j = 0; j < cols; j++)
        {
            double x = p[j], t = T(target, r, j, cols, kind), d = x - t;
            s += kind switch
            {
                LossKind.MeanSquaredError => d * d,
                LossKind.MeanAbsoluteError => Math.Abs(d),
                LossKind.Huber => Math.Abs(d) <= param ? 0.5 * d * d : param * (Math.Abs(d) - 0.5 * param),
                LossKind.BinaryCrossentropy => Bce(Smooth(t, param), Clip(x)),
                LossKind.BinaryCrossentropyFromLogits => Math.Max(x, 0) - x * Smooth(t, param) + Math.Log(1 + Math.Exp(-Math.Abs(x))),
                LossKind.CategoricalCrossentropy or LossKind.SparseCategoricalCrossentropy => -t * Math.Log(Clip(x / sumP)),
                _ => LossTermReference.Term(kind, x, t, parameters),
            };
        }
        return Backends.Cpu.LossTerms.SumsOverRow(kind) ? s : s / cols;
    }

    public static double Derivative(LossKind kind, LossParams parameters, ReadOnlySpan<double> p, int j, double[] target, int r, int cols)
    {
        if (RowLossReference.Handles(kind)) return RowLossReference.Derivative(kind, p, target.AsSpan(r * cols, cols), j);
        double param = parameters.Value;
        double x = p[j], t = T(target, r, j, cols, kind), d = x - t;
        switch (kind)
        {
            case LossKind.MeanSquaredError: return 2 * d / cols;
            case LossKind.MeanAbsoluteError: return Math.Sign(d) / (double)cols;
            case LossKind.Huber: return (Math.Abs(d) <= param ? d : param * Math.Sign(d)) / cols;
            case LossKind.BinaryCrossentropy:
                t = Smooth(t, param);
                return x < Eps || x > 1 - Eps ? 0 : (-t / x + (1 - t) / (1 - x)) / cols;
            case LossKind.BinaryCrossentropyFromLogits: return (1 / (1 + Math.Exp(-x)) - Smooth(t, param)) / cols;
            case LossKind.CategoricalCrossentropy or LossKind.SparseCategoricalCrossentropy:
                // L = −Σ_i t_i·log(clip(p_i/S)), S = Σp. With u_i = 1 where p_i/S is not clipped:
                // ∂L/∂p_j = −u_j·t_j/p_j + Σ_i u_i·t_i / S.
                double sumP = 0, sumTU = 0;
                foreach (double v in p) sumP += v;
                for (int i = 0; i < cols; i++) if (Unclipped(p[i] / sumP)) sumTU += T(target, r, i, cols, kind);
                return (Unclipped(x / sumP) ? -t / x : 0) + sumTU / sumP;
            default:
                return LossTermReference.Derivative(kind, x, t, parameters) / (Backends.Cpu.LossTerms.SumsOverRow(kind) ? 1 : cols);
        }
    }

    private static double Smooth(double t, double smoothing) => t * (1 - smoothing) + 0.5 * smoothing;

    private static double Bce(double t, double p) => -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p));

    private static bool Unclipped(double q) => q >= Eps && q <= 1 - Eps;

    private static double Clip(double v) => Math.Clamp(v, Eps, 1 - Eps);
}
