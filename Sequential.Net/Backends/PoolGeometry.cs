using System.Runtime.InteropServices;

namespace SequentialNet.Backends;

/// <summary>Which reduction a pooling window applies.</summary>
public enum PoolKind
{
    /// <summary>The largest value of the window (padded cells never win).</summary>
    Max = 0,
    /// <summary>The mean of the window's cells inside the image (padded cells are not counted, as in TensorFlow).</summary>
    Average = 1,
    /// <summary>
    /// Max pooling of ReLU outputs, as one backward: the forward is <see cref="Max"/>; the backward also applies
    /// ReLU's derivative read at the window's maximum (dy · (max &gt; 0 ? 1 : 0)), which is the derivative at the
    /// cell dy goes to, so relu_grad(max_pool_grad(dy)) takes one pass over the image instead of two.
    /// </summary>
    MaxAfterRelu = 2,
}

/// <summary>
/// The shapes of one 2-D pooling, channels last: x (Batch, InHeight, InWidth, Channels) → y (Batch, OutHeight,
/// OutWidth, Channels). Output (oy, ox) pools input rows oy·StrideHeight − PadTop + [0, PoolHeight) and the
/// columns likewise, clipped to the image. The same layout of ints is the <c>PoolGeom</c> of kernels/pool.cu.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct PoolGeometry(
    int Batch, int InHeight, int InWidth, int Channels, int OutHeight, int OutWidth,
    int PoolHeight, int PoolWidth, int StrideHeight, int StrideWidth, int PadTop, int PadLeft)
{
    /// <summary>Elements of x.</summary>
    public long InputLength => (long)Batch * InHeight * InWidth * Channels;

    /// <summary>Elements of y.</summary>
    public long OutputLength => (long)Batch * OutHeight * OutWidth * Channels;

    /// <summary>Throws unless every size is usable.</summary>
    public void Validate(string who)
    {
        if (Batch < 0 || InHeight <= 0 || InWidth <= 0 || Channels <= 0 || OutHeight <= 0 || OutWidth <= 0
            || PoolHeight <= 0 || PoolWidth <= 0 || StrideHeight <= 0 || StrideWidth <= 0 || PadTop < 0 || PadLeft < 0)
            throw new ArgumentException($"{who}: expected positive sizes and strides and non-negative padding. Received: {this}.");
    }
}
