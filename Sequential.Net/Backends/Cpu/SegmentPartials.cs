using System.Numerics.Tensors;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The last step of the deterministic gradient sums (kernel and bias gradients): one partial per fixed segment of
/// rows, added in segment order, so the result does not depend on which worker ran which segment.
/// </summary>
internal static unsafe class SegmentPartials
{
    /// <summary>total(length) = Σ_s partials[s·length .. (s + 1)·length), s = 0, 1, … in order.</summary>
    public static void SumInOrder(float* partials, int segments, int length, float* total)
    {
        var sum = new Span<float>(total, length);
        new ReadOnlySpan<float>(partials, length).CopyTo(sum);
        for (int s = 1; s < segments; s++)
            TensorPrimitives.Add(sum, new ReadOnlySpan<float>(partials + (long)s * length, length), sum);
    }
}
