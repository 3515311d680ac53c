using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>Keras <c>AveragePooling1D</c> (default pool 2, strides = pool size, "valid"); padded steps are not counted.</summary>
public sealed class AveragePooling1D(int poolSize = 2, int strides = 0, string padding = "valid", int[]? inputShape = null, string? name = null)
    : Pooling1D(PoolKind.Average, poolSize, strides, padding, inputShape, name);
