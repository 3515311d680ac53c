using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;

namespace SequentialNet.Tests.Kernels;

/// <summary>One row of the binary op table, bound to its operator struct (see <see cref="UnaryOpCase"/>).</summary>
public abstract unsafe class BinaryOpCase(string name)
{
    public string Name { get; } = name;

    public abstract IBinaryOp Op { get; }
    public abstract void Simd(float* a, float* b, float* c, int n);
    public abstract void Scalar(float* a, float* b, float* c, int n);
    public abstract void SimdScalarB(float* a, float b, float* c, int n);
    public abstract void ScalarScalarB(float* a, float b, float* c, int n);
    public abstract void SimdRows(float* a, float* row, float* c, int rows, int cols);
    public abstract void ScalarRows(float* a, float* row, float* c, int rows, int cols);

    public override string ToString() => Name;

    public static IEnumerable<BinaryOpCase> All()
    {
        yield return new BinaryOpCase<Add>("add", new Add());
        yield return new BinaryOpCase<Sub>("sub", new Sub());
        yield return new BinaryOpCase<Mul>("mul", new Mul());
        yield return new BinaryOpCase<Div>("div", new Div());
        yield return new BinaryOpCase<Max>("max", new Max());
        yield return new BinaryOpCase<Min>("min", new Min());
        yield return new BinaryOpCase<GreaterEqual>("ge", new GreaterEqual());
    }
}

/// <summary>A <see cref="BinaryOpCase"/> bound to <typeparamref name="TOp"/>.</summary>
public sealed unsafe class BinaryOpCase<TOp>(string name, TOp op) : BinaryOpCase(name) where TOp : struct, IBinaryOp
{
    private readonly TOp _op = op;

    public override IBinaryOp Op => _op;
    public override void Simd(float* a, float* b, float* c, int n) => SimdKernels.Binary(_op, a, b, c, n);
    public override void Scalar(float* a, float* b, float* c, int n) => ScalarKernels.Binary(_op, a, b, c, n);
    public override void SimdScalarB(float* a, float b, float* c, int n) => SimdKernels.BinaryScalar(_op, a, b, c, n);
    public override void ScalarScalarB(float* a, float b, float* c, int n) => ScalarKernels.BinaryScalar(_op, a, b, c, n);
    public override void SimdRows(float* a, float* row, float* c, int rows, int cols) => SimdKernels.BinaryRowBroadcast(_op, a, row, c, rows, cols);
    public override void ScalarRows(float* a, float* row, float* c, int rows, int cols) => ScalarKernels.BinaryRowBroadcast(_op, a, row, c, rows, cols);
}
