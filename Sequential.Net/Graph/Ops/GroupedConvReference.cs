using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// Float64 grouped convolution by its definition, y[b, oy, ox, f] = Σ_{ky, kx, ci} x[b, oy·s − pad + ky·d, …,
/// (f / Fg)·Cg + ci]·K[ky, kx, ci, f] with Cg = C/groups and Fg = F/groups (cells outside the image are 0), and
/// its two gradients by the same sums: the ground truth of the op tests.
/// </summary>
internal static class GroupedConvReference
{
    /// <summary>Calls <paramref name="visit"/>(x index, kernel index, y index) for every product.</summary>
    private static void ForEachProduct(in ConvGeometry g, int groups, Action<long, long, long> visit)
    {
        int cg = g.InChannels / groups, fg = g.OutChannels / groups;
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
                            for (int f = 0; f < g.OutChannels; f++)
                                for (int ci = 0; ci < cg; ci++)
                                {
                                    long xi = (((long)b * g.InHeight + iy) * g.InWidth + ix) * g.InChannels + f / fg * cg + ci;
                                    long ki = (((long)ky * g.KernelWidth + kx) * cg + ci) * g.OutChannels + f;
                                    long yi = (((long)b * g.OutHeight + oy) * g.OutWidth + ox) * g.OutChannels + f;
                                    visit(xi, ki, yi);
                                }
                        }
                    }
    }

    public static void Forward(double[] x, double[] k, ConvGeometry g, int groups, double[] y)
    {
        Array.Clear(y);
        ForEachProduct(g, groups, (xi, ki, yi) => y[yi] += x[xi] * k[ki]);
    }

    public static void BackwardInput(double[] dy, double[] k, ConvGeometry g, int groups, double[] dx)
    {
        Array.Clear(dx);
        ForEachProduct(g, groups, (xi, ki, yi) => dx[xi] += dy[yi] * k[ki]);
    }

    public static void BackwardFilter(double[] x, double[] dy, ConvGeometry g, int groups, double[] dk)
    {
        Array.Clear(dk);
        ForEachProduct(g, groups, (xi, ki, yi) => dk[ki] += x[xi] * dy[yi]);
    }
}
