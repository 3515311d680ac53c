using System.Runtime.InteropServices;

namespace SequentialNet.Backends;

/// <summary>
/// One nearest-neighbour upsampling, channels last: x (Batch, InHeight, InWidth, Channels) → y (Batch,
/// InHeight·SizeHeight, InWidth·SizeWidth, Channels) with y(b, oy, ox, c) = x(b, ⌊oy/SizeHeight⌋, ⌊ox/SizeWidth⌋, c),
/// as Keras's <c>UpSampling2D(interpolation="nearest")</c> repeats rows and columns. The same layout of ints is
/// the <c>UpGeom</c> of kernels/spatial.cu.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct UpSampleGeometry(int Batch, int InHeight, int InWidth, int Channels, int SizeHeight, int SizeWidth)
{
    /// <summary>Rows of y.</summary>
    public int OutHeight => InHeight * SizeHeight;

    /// <summary>Columns of y.</summary>
    public int OutWidth => InWidth * SizeWidth;

    /// <summary>Elements of x.</summary>
    public long InputLength => (long)Batch * InHeight * InWidth * Channels;

    /// <summary>Elements of y.</summary>
    public long OutputLength => InputLength * SizeHeight * SizeWidth;

    /// <summary>Throws unless every size is usable.</summary>
    public void Validate(string who)
    {
        if (Batch < 0 || InHeight <= 0 || InWidth <= 0 || Channels <= 0 || SizeHeight <= 0 || SizeWidth <= 0
            || (long)InHeight * SizeHeight > int.MaxValue || (long)InWidth * SizeWidth > int.MaxValue)
            throw new ArgumentException($"{who}: expected positive image sizes and upsampling factors and a batch >= 0. Received: {this}.");
    }
}
