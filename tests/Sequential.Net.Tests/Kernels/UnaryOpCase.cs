using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// One row of the unary op table: an operator struct with the input range its tests draw from. The generic
/// subclass calls the kernels with the concrete struct, so the JIT-specialized code is what gets tested.
/// </summary>
public abstract unsafe class UnaryOpCase
{
    protected UnaryOpCase(string name, float lo, float hi) => (Name, Lo, Hi) = (name, lo, hi);

    public string Name { get; }
    public float Lo { get; }
    public float Hi { get; }

    public abstract IUnaryOp Op { get; }
    public abstract void Simd(float* x, float* y, int n);
    public abstract void Scalar(float* x, float* y, int n);
    public abstract void SimdBackward(float* x, float* y, float* dy, float* dx, int n);
    public abstract void ScalarBackward(float* x, float* y, float* dy, float* dx, int n);
    public abstract void SimdBiasActivation(float* c, float* bias, int n);
    public abstract void ScalarBiasActivation(float* c, float* bias, int n);

    public override string ToString() => Name;

    /// <summary>The table: every op of Backends/Ops, some twice (a second range or parameter).</summary>
    public static IEnumerable<UnaryOpCase> All()
    {
        yield return new UnaryOpCase<Relu>("relu", new Relu(), -3f, 3f);
        yield return new UnaryOpCase<LeakyRelu>("leaky_relu(0.01)", new LeakyRelu(), -3f, 3f);
        yield return new UnaryOpCase<LeakyRelu>("leaky_relu(0.3)", new LeakyRelu(0.3f), -3f, 3f);
        yield return new UnaryOpCase<Sigmoid>("sigmoid", new Sigmoid(), -20f, 20f);
        yield return new UnaryOpCase<Tanh>("tanh", new Tanh(), -10f, 10f);
        yield return new UnaryOpCase<Tanh>("tanh(small)", new Tanh(), -0.8f, 0.8f);
        yield return new UnaryOpCase<Identity>("identity", new Identity(), -5f, 5f);
        yield return new UnaryOpCase<Elu>("elu", new Elu(), -6f, 3f);
        yield return new UnaryOpCase<Elu>("elu(0.5)", new Elu(0.5f), -6f, 3f);
        yield return new UnaryOpCase<Swish>("swish", new Swish(), -20f, 20f);
        yield return new UnaryOpCase<Gelu>("gelu", new Gelu(), -12f, 12f);
        yield return new UnaryOpCase<Gelu>("gelu(small)", new Gelu(), -1.6f, 1.6f);
        yield return new UnaryOpCase<Exp>("exp", new Exp(), -20f, 20f);
        yield return new UnaryOpCase<Log>("log", new Log(), 1e-3f, 100f);
        yield return new UnaryOpCase<Square>("square", new Square(), -10f, 10f);
        yield return new UnaryOpCase<Sqrt>("sqrt", new Sqrt(), 1e-4f, 100f);
        yield return new UnaryOpCase<Abs>("abs", new Abs(), -5f, 5f);
        yield return new UnaryOpCase<Negate>("negate", new Negate(), -5f, 5f);
        yield return new UnaryOpCase<Selu>("selu", new Selu(), -6f, 3f);
        yield return new UnaryOpCase<Softplus>("softplus", new Softplus(), -20f, 20f);
        yield return new UnaryOpCase<Softsign>("softsign", new Softsign(), -10f, 10f);
        yield return new UnaryOpCase<Relu6>("relu6", new Relu6(), -3f, 9f);
        yield return new UnaryOpCase<Thresholded>("thresholded(0.5)", new Thresholded(0.5f), -3f, 3f);
        yield return new UnaryOpCase<ReluBelow>("relu_below(-0.25)", new ReluBelow(-0.25f), -3f, 3f);
        yield return new UnaryOpCase<HardSigmoid>("hard_sigmoid", new HardSigmoid(), -5f, 5f);
        yield return new UnaryOpCase<HardSilu>("hard_silu", new HardSilu(), -5f, 5f);
        yield return new UnaryOpCase<Mish>("mish", new Mish(), -10f, 10f);
        yield return new UnaryOpCase<GeluTanh>("gelu_tanh", new GeluTanh(), -8f, 8f);
    }
}

/// <summary>A <see cref="UnaryOpCase"/> bound to the operator struct <typeparamref name="TOp"/>.</summary>
public sealed unsafe class UnaryOpCase<TOp>(string name, TOp op, float lo, float hi) : UnaryOpCase(name, lo, hi)
    where TOp : struct, IUnaryOp
{
    private readonly TOp _op = op;

    public override IUnaryOp Op => _op;
    public override void Simd(float* x, float* y, int n) => SimdKernels.Unary(_op, x, y, n);
    public override void Scalar(float* x, float* y, int n) => ScalarKernels.Unary(_op, x, y, n);
    public override void SimdBackward(float* x, float* y, float* dy, float* dx, int n) => SimdKernels.UnaryBackward(_op, x, y, dy, dx, n);
    public override void ScalarBackward(float* x, float* y, float* dy, float* dx, int n) => ScalarKernels.UnaryBackward(_op, x, y, dy, dx, n);
    public override void SimdBiasActivation(float* c, float* bias, int n) => SimdKernels.BiasActivation(_op, c, bias, n);
    public override void ScalarBiasActivation(float* c, float* bias, int n) => ScalarKernels.BiasActivation(_op, c, bias, n);
}
