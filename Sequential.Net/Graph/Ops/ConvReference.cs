using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// Float64 convolution by its definition, y[b, oy, ox, f] = Σ_{ky, kx, c} x[b, oy·s − pad + ky·d, …, c]·K[ky, kx, c, f]
/// (cells outside the image are 0), and its two gradients by the same sums: the ground truth of the op tests.
/// </summary>
internal static class ConvReference
{
    /// <summary>Calls <paramref name="visit"/>(x index, kernel index, y index) for every product of the convolution.</summary>
    private static void ForEachProduct(in ConvGeometry g, Action<long, long, long> visit)
    {
        for (int b = 0; b < g.Batch; b++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if (iy < 0 || iy >= g.InHeight) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if (ix < 0 || ix >= g.InWidth) continue;
                            for (int c = 0; c < g.InChannels; c++)
                            {
                                long xi = (((long)b * g.InHeight + iy) * g.InWidth + ix) * g.InChannels + c;
                                long ki = (((long)ky * g.KernelWidth + kx) * g.InChannels + c) * g.OutChannels;
                                long yi = (((long)b * g.OutHeight + oy) * g.OutWidth + ox) * g.OutChannels;
                                for (int f = 0; f < g.OutChannels; f++) visit(xi, ki + f, yi + f);
                            }
                        }
                    }
    }

    public static void Forward(double[] x, double[] k, ConvGeometry g, double[] y)
    {
        Array.Clear(y);
        ForEachProduct(g, (xi, ki, yi) => y[yi] += x[xi] * k[ki]);
    }

    public static void BackwardInput(double[] dy, double[] k, ConvGeometry g, double[] dx)
    {
        Array.Clear(dx);
        ForEachProduct(g, (xi, ki, yi) => dx[xi] += dy[yi] * k[ki]);
    }

    public static void BackwardFilter(double[] x, double[] dy, ConvGeometry g, double[] dk)
    {
        Array.Clear(dk);
        ForEachProduct(g, (xi, ki, yi) => dk[ki] += x[xi] * dy[yi]);
    }
}
