using System.Runtime.InteropServices;

namespace SequentialNet.Backends;

/// <summary>
/// The shapes of one 2-D convolution, channels last: x (Batch, InHeight, InWidth, InChannels), kernel
/// (KernelHeight, KernelWidth, InChannels, OutChannels) — Keras's layout, which read as a matrix is
/// (KernelHeight·KernelWidth·InChannels, OutChannels) — and y (Batch, OutHeight, OutWidth, OutChannels).
/// Output pixel (oy, ox) reads input rows oy·StrideHeight − PadTop + ky·DilationHeight (ky &lt; KernelHeight),
/// and columns likewise; cells outside the image read 0. The same layout of ints is the <c>ConvGeom</c> of
/// kernels/conv.cu, passed to the kernels by value.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct ConvGeometry(
    int Batch, int InHeight, int InWidth, int InChannels,
    int OutHeight, int OutWidth, int OutChannels,
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
    int DilationHeight, int DilationWidth, int PadTop, int PadLeft)
{
    /// <summary>Rows of the implicit patch matrix: Batch·OutHeight·OutWidth.</summary>
    public int Rows => checked(Batch * OutHeight * OutWidth);

    /// <summary>Columns of the implicit patch matrix (the GEMM's k): KernelHeight·KernelWidth·InChannels.</summary>
    public int PatchSize => checked(KernelHeight * KernelWidth * InChannels);

    /// <summary>Elements of x.</summary>
    public long InputLength => (long)Batch * InHeight * InWidth * InChannels;

    /// <summary>Elements of y.</summary>
    public long OutputLength => (long)Rows * OutChannels;

    /// <summary>Elements of the kernel.</summary>
    public long KernelLength => (long)PatchSize * OutChannels;

    /// <summary>Multiply-adds of the forward pass (the GEMM's m·n·k).</summary>
    public long MultiplyAdds => (long)Rows * OutChannels * PatchSize;

    /// <summary>Elements of a grouped kernel (KernelHeight, KernelWidth, InChannels/groups, OutChannels).</summary>
    public long GroupedKernelLength(int groups) => (long)KernelHeight * KernelWidth * (InChannels / groups) * OutChannels;

    /// <summary>Throws unless <see cref="Validate"/> passes and both channel counts split into <paramref name="groups"/> equal groups.</summary>
    public void ValidateGroups(string who, int groups)
    {
        Validate(who);
        if (groups <= 0 || InChannels % groups != 0 || OutChannels % groups != 0)
            throw new ArgumentException($"{who}: expected input channels and output channels divisible by groups. Received: groups={groups}, input channels {InChannels}, output channels {OutChannels}.");
    }

    /// <summary>Throws unless every size is usable (positive, output at least 1 × 1).</summary>
    public void Validate(string who)
    {
        if (Batch < 0 || InHeight <= 0 || InWidth <= 0 || InChannels <= 0 || OutHeight <= 0 || OutWidth <= 0 || OutChannels <= 0
            || KernelHeight <= 0 || KernelWidth <= 0 || StrideHeight <= 0 || StrideWidth <= 0 || DilationHeight <= 0 || DilationWidth <= 0
            || PadTop < 0 || PadLeft < 0)
            throw new ArgumentException($"{who}: expected positive sizes, strides and dilations and non-negative padding. Received: {this}.");
    }
}
