using SequentialNet.Backends;
using static SequentialNet.Tests.Kernels.KernelTestUtil;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// Unary kernels: SIMD against the scalar twin at every length 0..256 (covers every vector tail), outputs
/// poisoned past n; the scalar formulas against the float64 references; special values.
/// Tolerance: fp32 elementwise, atol 1e-6, rtol 1e-5 (docs/testing.md).
/// </summary>
[TestFixture]
public unsafe class SimdKernelsTests
{
    private const int MaxLength = 256;
    private const int Guard = 19;   // poisoned slots after n: more than one vector, so a full-width tail store shows
    private const double Atol = 1e-6, Rtol = 1e-5;

    public static IEnumerable<UnaryOpCase> Cases() => UnaryOpCase.All();

    [TestCaseSource(nameof(Cases))]
    public void Forward_SimdMatchesScalar_AtEveryLength(UnaryOpCase c)
    {
        var rng = new Random(1234);
        for (int n = 0; n <= MaxLength; n++)
        {
            float[] x = RandomArray(rng, n + Guard, c.Lo, c.Hi);
            float[] ySimd = Poisoned(n + Guard), yScalar = Poisoned(n + Guard);
            fixed (float* px = x, ps = ySimd, pr = yScalar)
            {
                c.Simd(px, ps, n);
                c.Scalar(px, pr, n);
            }
            AssertMatches(ySimd, yScalar, n, $"{c} forward, n={n}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void BiasActivation_SimdMatchesScalar_AtEveryLength(UnaryOpCase c)
    {
        var rng = new Random(4321);
        for (int n = 0; n <= MaxLength; n++)
        {
            // c + bias stays in the op's input range: each half drawn from half of it.
            float[] c0 = RandomArray(rng, n + Guard, c.Lo / 2, c.Hi / 2), bias = RandomArray(rng, n + Guard, c.Lo / 2, c.Hi / 2);
            float[] cSimd = Poisoned(n + Guard), cScalar = Poisoned(n + Guard);
            Array.Copy(c0, cSimd, n);
            Array.Copy(c0, cScalar, n);
            fixed (float* pb = bias, ps = cSimd, pr = cScalar)
            {
                c.SimdBiasActivation(ps, pb, n);
                c.ScalarBiasActivation(pr, pb, n);
            }
            AssertMatches(cSimd, cScalar, n, $"{c} bias+activation, n={n}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void BiasActivation_IsBitwiseTheTwoSeparatePasses(UnaryOpCase c)
    {
        var rng = new Random(77);
        foreach (int n in new[] { 1, 15, 16, 17, 33, 100, 256 })
        {
            float[] c0 = RandomArray(rng, n, c.Lo / 2, c.Hi / 2), bias = RandomArray(rng, n, c.Lo / 2, c.Hi / 2);
            float[] fused = (float[])c0.Clone(), separate = new float[n];
            fixed (float* pc = c0, pb = bias, pf = fused, ps = separate)
            {
                c.SimdBiasActivation(pf, pb, n);
                SequentialNet.Backends.Cpu.SimdKernels.Binary(new Add(), pc, pb, ps, n);
                c.Simd(ps, ps, n);
            }
            Assert.That(fused, Is.EqualTo(separate).AsCollection, $"{c}, n={n}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Forward_InPlace_MatchesOutOfPlace(UnaryOpCase c)
    {
        var rng = new Random(99);
        foreach (int n in new[] { 1, 15, 16, 17, 33, 100, 256 })
        {
            float[] x = RandomArray(rng, n, c.Lo, c.Hi);
            float[] expected = new float[n];
            float[] inPlace = (float[])x.Clone();
            fixed (float* px = x, pe = expected, pi = inPlace)
            {
                c.Simd(px, pe, n);
                c.Simd(pi, pi, n);
            }
            Assert.That(inPlace, Is.EqualTo(expected), $"{c} in place, n={n}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Backward_SimdMatchesScalar_AtEveryLength(UnaryOpCase c)
    {
        var rng = new Random(4321);
        for (int n = 0; n <= MaxLength; n++)
        {
            float[] x = RandomArray(rng, n + Guard, c.Lo, c.Hi);
            float[] y = new float[n + Guard];
            float[] dy = RandomArray(rng, n + Guard, -2f, 2f);
            float[] dxSimd = Poisoned(n + Guard), dxScalar = Poisoned(n + Guard);
            fixed (float* px = x, py = y, pdy = dy, ps = dxSimd, pr = dxScalar)
            {
                c.Scalar(px, py, n + Guard);
                c.SimdBackward(px, py, pdy, ps, n);
                c.ScalarBackward(px, py, pdy, pr, n);
            }
            AssertMatches(dxSimd, dxScalar, n, $"{c} backward, n={n}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Backward_DxMayAliasDy(UnaryOpCase c)
    {
        var rng = new Random(7);
        const int n = 77;
        float[] x = RandomArray(rng, n, c.Lo, c.Hi), y = new float[n], dy = RandomArray(rng, n, -2f, 2f);
        float[] expected = new float[n], aliased = (float[])dy.Clone();
        fixed (float* px = x, py = y, pdy = dy, pe = expected, pa = aliased)
        {
            c.Scalar(px, py, n);
            c.SimdBackward(px, py, pdy, pe, n);
            c.SimdBackward(px, py, pa, pa, n);
        }
        Assert.That(aliased, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Cases))]
    public void ScalarFormulas_MatchFloat64Reference(UnaryOpCase c)
    {
        var rng = new Random(2024);
        IUnaryOp op = c.Op;
        for (int i = 0; i < 4000; i++)
        {
            float x = NextNonZero(rng, c.Lo, c.Hi);
            float y = op.Invoke(x);
            double expectedY = op.Reference(x);
            Assert.That(Close(y, expectedY, Atol, Rtol), $"{c}: f({x:R}) = {y:R}, reference {expectedY:R}");
            float d = op.Derivative(x, y);
            double expectedD = op.ReferenceDerivative(x);
            Assert.That(Close(d, expectedD, Atol, Rtol), $"{c}: f'({x:R}) = {d:R}, reference {expectedD:R}");
        }
    }

    [Test]
    public void Gelu_LeftTail_KeepsRelativeAccuracy()
    {
        // Φ(x) for x < 0 comes from erfc, not 1 + erf, so GELU stays accurate relative to its (tiny) value
        // in the left tail: 1e-6 relative down to x = −9 (gelu(−9) ≈ −1e-18), on both the scalar and SIMD paths.
        var op = new Gelu();
        const int n = 1801;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) x[i] = -9f + 18f * i / (n - 1);
        fixed (float* px = x, py = y) Backends.Cpu.SimdKernels.Unary(op, px, py, n);
        for (int i = 0; i < n; i++)
        {
            double expected = op.Reference(x[i]);
            Assert.That(Close(op.Invoke(x[i]), expected, 0, 1e-6), $"scalar gelu({x[i]:R}) = {op.Invoke(x[i]):R}, reference {expected:R}");
            Assert.That(Close(y[i], expected, 0, 1e-6), $"simd gelu({x[i]:R}) = {y[i]:R}, reference {expected:R}");
        }
    }

    [Test]
    public void OpMathExp_IsAccurate_OverTheWholeFloatRange()
    {
        // Our vectorised expf (used by exp, sigmoid, tanh, elu, swish, gelu): ≤ 2e-7 relative for normal
        // results, correctly scaled denormals (absolute error ≤ one denormal ulp, 1.4e-45), 0 and ∞ beyond,
        // and the scalar and 16-lane forms agree bitwise.
        const int n = 200_001;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) x[i] = -104f + 193f * i / (n - 1);
        fixed (float* px = x, py = y) Backends.Cpu.SimdKernels.Unary(new Exp(), px, py, n);
        for (int i = 0; i < n; i++)
        {
            float scalar = Backends.OpMath.Exp(x[i]);
            Assert.That(BitConverter.SingleToInt32Bits(y[i]), Is.EqualTo(BitConverter.SingleToInt32Bits(scalar)), $"exp({x[i]:R}): vector {y[i]:R}, scalar {scalar:R}");
            double e = Math.Exp(x[i]);
            if (e > float.MaxValue) Assert.That(scalar, Is.EqualTo(float.PositiveInfinity), $"exp({x[i]:R})");
            else Assert.That(Math.Abs(scalar - e), Is.LessThanOrEqualTo(2e-7 * e + 1.5e-45), $"exp({x[i]:R}) = {scalar:R}, reference {e:R}");
        }
        Assert.That(Backends.OpMath.Exp(float.NegativeInfinity), Is.EqualTo(0f));
        Assert.That(Backends.OpMath.Exp(float.PositiveInfinity), Is.EqualTo(float.PositiveInfinity));
        Assert.That(Backends.OpMath.Exp(float.NaN), Is.NaN);
        Assert.That(Backends.OpMath.Exp(0f), Is.EqualTo(1f));
    }

    public static IEnumerable<TestCaseData> SpecialValues()
    {
        float inf = float.PositiveInfinity;
        // op, input, expected f(x), expected f'(x)
        yield return new TestCaseData(new UnaryOpCase<Sigmoid>("sigmoid", new Sigmoid(), 0, 0), new[] { 1e30f, -1e30f, inf, -inf, 100f, -100f }, new[] { 1f, 0f, 1f, 0f, 1f, 3.7200760e-44f }, new[] { 0f, 0f, 0f, 0f, 0f, 3.7200760e-44f }).SetName("Special(sigmoid)");
        yield return new TestCaseData(new UnaryOpCase<Tanh>("tanh", new Tanh(), 0, 0), new[] { 1e30f, -1e30f, inf, -inf, 50f, -50f }, new[] { 1f, -1f, 1f, -1f, 1f, -1f }, new[] { 0f, 0f, 0f, 0f, 0f, 0f }).SetName("Special(tanh)");
        yield return new TestCaseData(new UnaryOpCase<Exp>("exp", new Exp(), 0, 0), new[] { -1000f, -1e30f, -inf, -104f, 89f, inf }, new[] { 0f, 0f, 0f, 0f, inf, inf }, new[] { 0f, 0f, 0f, 0f, inf, inf }).SetName("Special(exp)");
        yield return new TestCaseData(new UnaryOpCase<Swish>("swish", new Swish(), 0, 0), new[] { inf, -inf, 1e30f, -1e30f }, new[] { inf, 0f, 1e30f, 0f }, new[] { 1f, 0f, 1f, 0f }).SetName("Special(swish)");
        yield return new TestCaseData(new UnaryOpCase<Gelu>("gelu", new Gelu(), 0, 0), new[] { inf, -inf, 1e30f, -1e30f, 20f, -20f }, new[] { inf, 0f, 1e30f, 0f, 20f, 0f }, new[] { 1f, 0f, 1f, 0f, 1f, 0f }).SetName("Special(gelu)");
        yield return new TestCaseData(new UnaryOpCase<Elu>("elu", new Elu(), 0, 0), new[] { -inf, -1e30f, inf }, new[] { -1f, -1f, inf }, new[] { 0f, 0f, 1f }).SetName("Special(elu)");
        yield return new TestCaseData(new UnaryOpCase<Relu>("relu", new Relu(), 0, 0), new[] { inf, -inf }, new[] { inf, 0f }, new[] { 1f, 0f }).SetName("Special(relu)");
    }

    [TestCaseSource(nameof(SpecialValues))]
    public void SpecialValues_NoNaN(UnaryOpCase c, float[] inputs, float[] expectedY, float[] expectedD)
    {
        // Each value is repeated to fill 37 slots, so it goes through full vectors, the partial tail and the
        // scalar twin; within each path the result must equal the limit (tiny denormals tolerated).
        const int n = 37;
        for (int v = 0; v < inputs.Length; v++)
        {
            float[] x = new float[n], ones = new float[n];
            x.AsSpan().Fill(inputs[v]);
            ones.AsSpan().Fill(1f);
            float[] ySimd = new float[n], yScalar = new float[n], dSimd = new float[n], dScalar = new float[n];
            fixed (float* px = x, po = ones, ps = ySimd, pr = yScalar, pds = dSimd, pdr = dScalar)
            {
                c.Simd(px, ps, n);
                c.Scalar(px, pr, n);
                c.SimdBackward(px, ps, po, pds, n);
                c.ScalarBackward(px, pr, po, pdr, n);
            }
            for (int i = 0; i < n; i++)
            {
                string at = $"{c}({inputs[v]:R}) at slot {i}";
                Assert.That(Close(ySimd[i], expectedY[v], 1e-30, 1e-6), $"{at}: simd f = {ySimd[i]:R}, expected {expectedY[v]:R}");
                Assert.That(Close(yScalar[i], expectedY[v], 1e-30, 1e-6), $"{at}: scalar f = {yScalar[i]:R}, expected {expectedY[v]:R}");
                Assert.That(Close(dSimd[i], expectedD[v], 1e-30, 1e-6), $"{at}: simd f' = {dSimd[i]:R}, expected {expectedD[v]:R}");
                Assert.That(Close(dScalar[i], expectedD[v], 1e-30, 1e-6), $"{at}: scalar f' = {dScalar[i]:R}, expected {expectedD[v]:R}");
            }
        }
    }

    [Test]
    public void NaN_Propagates_ThroughSigmoidTanhGelu()
    {
        const int n = 21;
        float[] x = new float[n], y = new float[n];
        x.AsSpan().Fill(float.NaN);
        fixed (float* px = x, py = y)
        {
            Backends.Cpu.SimdKernels.Unary(new Sigmoid(), px, py, n);
            Assert.That(y, Is.All.NaN);
            Backends.Cpu.SimdKernels.Unary(new Tanh(), px, py, n);
            Assert.That(y, Is.All.NaN);
            Backends.Cpu.SimdKernels.Unary(new Gelu(), px, py, n);
            Assert.That(y, Is.All.NaN);
        }
    }

    /// <summary>Elements [0, n) within tolerance of the scalar twin; elements [n, end) still hold the poison bits.</summary>
    private static void AssertMatches(float[] actual, float[] expected, int n, string what)
    {
        for (int i = 0; i < n; i++)
            if (!Close(actual[i], expected[i], Atol, Rtol))
                Assert.Fail($"{what}: element {i} = {actual[i]:R}, scalar twin {expected[i]:R}");
        for (int i = n; i < actual.Length; i++)
            if (!IsPoison(actual[i]) || !IsPoison(expected[i]))
                Assert.Fail($"{what}: element {i} past the end was written ({actual[i]:R} / {expected[i]:R})");
    }
}
