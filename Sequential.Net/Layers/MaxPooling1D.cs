using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>Keras <c>MaxPooling1D</c> (default pool 2, strides = pool size, "valid").</summary>
public sealed class MaxPooling1D(int poolSize = 2, int strides = 0, string padding = "valid", int[]? inputShape = null, string? name = null)
    : Pooling1D(PoolKind.Max, poolSize, strides, padding, inputShape, name);
