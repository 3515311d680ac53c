using System.Runtime.InteropServices;

namespace SequentialNet.Backends;

/// <summary>
/// One zero padding or cropping of images, channels last: x (Batch, InHeight, InWidth, Channels) → y (Batch,
/// OutHeight, OutWidth, Channels) with y(b, oy, ox, c) = x(b, oy − Top, ox − Left, c) where that cell lies inside
/// x, else 0. Positive <see cref="Top"/>/<see cref="Left"/> pad (ZeroPadding2D), negative ones crop (Cropping2D);
/// the gradient of one is the other. The same layout of ints is the <c>PadGeom</c> of kernels/spatial.cu.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct PadGeometry(int Batch, int InHeight, int InWidth, int Channels, int OutHeight, int OutWidth, int Top, int Left)
{
    /// <summary>Elements of x.</summary>
    public long InputLength => (long)Batch * InHeight * InWidth * Channels;

    /// <summary>Elements of y.</summary>
    public long OutputLength => (long)Batch * OutHeight * OutWidth * Channels;

    /// <summary>Throws unless every size is usable.</summary>
    public void Validate(string who)
    {
        if (Batch < 0 || InHeight <= 0 || InWidth <= 0 || Channels <= 0 || OutHeight <= 0 || OutWidth <= 0)
            throw new ArgumentException($"{who}: expected positive image sizes and a batch >= 0. Received: {this}.");
    }
}
