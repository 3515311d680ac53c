using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Tests.Graph;

/// <summary>
/// Convolutions whose forward and input gradient take the CPU's Winograd path (3×3, stride 1, channels ≥ 16 and
/// multiples of 8, at least <see cref="CpuBackend.WinogradMinTiles"/> 2×2 tiles): "valid" and "same", odd and even
/// sizes (partial edge tiles), batch 1, with and without bias; 24 channels take the 8-lane transforms, 16 and 32
/// the 16-lane ones where the CPU has AVX-512. They are too large for the float64 finite
/// differences of GradientCheckTests (which check the reference, not a backend), so they are not in
/// <see cref="OpCases.All"/>; the CPU and the emulated CUDA backend run them against float64 and the CPU.
/// </summary>
public static class WinogradOpCases
{
    /// <summary>One case: x (N, H, W, C), kernel (3, 3, C, F), padding, and whether a bias (and relu) is fused.</summary>
    public sealed record Shape(string Name, int[] X, int Filters, string Padding, bool Bias)
    {
        internal ConvSpec Spec => new(3, 3, 1, 1, 1, 1, Padding);

        /// <summary>The forward geometry.</summary>
        public ConvGeometry Geometry
        {
            get
            {
                var (oh, ow, top, left) = Spec.Output(X[1], X[2], Name);
                return new ConvGeometry(X[0], X[1], X[2], X[3], oh, ow, Filters, 3, 3, 1, 1, 1, 1, top, left);
            }
        }

        /// <summary>The op case: conv2d with relu and bias, or the bare convolution.</summary>
        public OpCase Case => Bias
            ? OpCases.Conv(Name, X, [3, 3, X[3], Filters], Spec, new Relu())
            : OpCases.Conv(Name, X, [3, 3, X[3], Filters], Spec, new Identity(), bias: false);

        public override string ToString() => Name;
    }

    /// <summary>The shapes; each has at least 192 tiles in both passes (forward tiles / input-gradient tiles in the comments).</summary>
    public static IEnumerable<Shape> Shapes()
    {
        yield return new("winograd_valid_odd_relu", [3, 17, 19, 16], 24, "valid", true);            // 15×17 out: 3·8·9 = 216 / 3·9·10 = 270
        yield return new("winograd_same_even_no_bias", [2, 20, 20, 16], 16, "same", false);        // 2·10·10 = 200 / 200
        yield return new("winograd_same_odd_batch1", [1, 27, 29, 24], 16, "same", true);           // 14·15 = 210 / 210
        yield return new("winograd_valid_even_batch1_no_bias", [1, 32, 30, 32], 16, "valid", false); // 30×28 out: 15·14 = 210 / 16·15 = 240
    }

    /// <summary>The op cases of <see cref="Shapes"/>.</summary>
    public static IEnumerable<OpCase> All() => Shapes().Select(s => s.Case);
}
