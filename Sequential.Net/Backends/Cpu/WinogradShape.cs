namespace SequentialNet.Backends.Cpu;

/// <summary>
/// A 3×3, stride-1 convolution as the Winograd path sees it: input (Batch, InHeight, InWidth, InChannels),
/// output (Batch, OutHeight, OutWidth, OutChannels), output pixel (oy, ox) reading input rows oy − PadTop + 0..2
/// and columns ox − PadLeft + 0..2 (zero outside the image). The output is cut into 2×2 tiles, numbered
/// (b, ty, tx) row-major; tiles on an odd edge are partial (their missing pixels are computed and dropped).
/// </summary>
internal readonly record struct WinogradShape(
    int Batch, int InHeight, int InWidth, int InChannels,
    int OutHeight, int OutWidth, int OutChannels, int PadTop, int PadLeft)
{
    /// <summary>Tile rows per image: ⌈OutHeight / 2⌉.</summary>
    public int TileRows => (OutHeight + 1) / 2;

    /// <summary>Tile columns per image: ⌈OutWidth / 2⌉.</summary>
    public int TileColumns => (OutWidth + 1) / 2;

    /// <summary>Tiles of the whole batch.</summary>
    public int Tiles => checked(Batch * TileRows * TileColumns);

    /// <summary>The forward pass of <paramref name="g"/>: x → y.</summary>
    public static WinogradShape Forward(in ConvGeometry g)
        => new(g.Batch, g.InHeight, g.InWidth, g.InChannels, g.OutHeight, g.OutWidth, g.OutChannels, g.PadTop, g.PadLeft);

    /// <summary>
    /// The input gradient of <paramref name="g"/>: dy → dx, the convolution of dy with the kernel flipped in
    /// both spatial axes and its channel axes swapped. dx(iy) = Σₐ dy(iy + PadTop − a)·k(a), so with a' = 2 − a
    /// it reads dy rows iy − (2 − PadTop) + a': a 3×3 convolution with padding 2 − PadTop (valid: 2, same: 1).
    /// </summary>
    public static WinogradShape InputGradient(in ConvGeometry g)
        => new(g.Batch, g.OutHeight, g.OutWidth, g.OutChannels, g.InHeight, g.InWidth, g.InChannels, 2 - g.PadTop, 2 - g.PadLeft);

    /// <summary>Sample, tile row and tile column of tile <paramref name="tile"/>.</summary>
    public void Locate(int tile, out int sample, out int tileRow, out int tileColumn)
    {
        int perImage = TileRows * TileColumns;
        sample = tile / perImage;
        int rest = tile - sample * perImage;
        tileRow = rest / TileColumns;
        tileColumn = rest - tileRow * TileColumns;
    }

    /// <summary>
    /// The top-left pixel of tile <paramref name="tile"/> in an output-shaped tensor (OutChannels per pixel), and
    /// whether its right column and bottom row lie inside the output (not on an odd edge).
    /// </summary>
    public unsafe float* OutputCorner(float* output, int tile, out bool right, out bool below)
    {
        Locate(tile, out int b, out int ty, out int tx);
        int oy = 2 * ty, ox = 2 * tx;
        right = ox + 1 < OutWidth;
        below = oy + 1 < OutHeight;
        return output + (((long)b * OutHeight + oy) * OutWidth + ox) * OutChannels;
    }
}
