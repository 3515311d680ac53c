using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>MaxPooling2D</c>: the maximum of each window (default 2 × 2, strides = pool size, "valid"). The
/// gradient goes to the first cell (row-major in the window) that holds the maximum.
/// </summary>
public sealed class MaxPooling2D : Pooling2D
{
    /// <summary>Windows of (h, w) (one value for both).</summary>
    public MaxPooling2D(int[] poolSize, int[]? strides = null, string padding = "valid", int[]? inputShape = null, string? name = null)
        : base(PoolKind.Max, poolSize, strides, padding, inputShape, name) { }

    /// <summary>Square windows; <paramref name="strides"/> 0 means the pool size.</summary>
    public MaxPooling2D(int poolSize = 2, int strides = 0, string padding = "valid", int[]? inputShape = null, string? name = null)
        : base(PoolKind.Max, [poolSize], strides == 0 ? null : [strides], padding, inputShape, name) { }
}
