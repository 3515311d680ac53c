using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>AveragePooling2D</c>: the mean of each window (default 2 × 2, strides = pool size, "valid"). With
/// "same" padding a window at the border averages only its cells inside the image, as TensorFlow does.
/// </summary>
public sealed class AveragePooling2D : Pooling2D
{
    /// <summary>Windows of (h, w) (one value for both).</summary>
    public AveragePooling2D(int[] poolSize, int[]? strides = null, string padding = "valid", int[]? inputShape = null, string? name = null)
        : base(PoolKind.Average, poolSize, strides, padding, inputShape, name) { }

    /// <summary>Square windows; <paramref name="strides"/> 0 means the pool size.</summary>
    public AveragePooling2D(int poolSize = 2, int strides = 0, string padding = "valid", int[]? inputShape = null, string? name = null)
        : base(PoolKind.Average, [poolSize], strides == 0 ? null : [strides], padding, inputShape, name) { }
}
