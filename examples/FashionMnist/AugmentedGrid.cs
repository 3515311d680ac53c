using SequentialNet;
using SequentialNet.Layers;

namespace FashionMnistExample;

/// <summary>Writes a PNG grid: each row is one image, then the same image through the augmentation layers at successive steps.</summary>
internal static class AugmentedGrid
{
    public static void Write(string path, Tensor images, IReadOnlyList<ImageAugmentation> layers, int rows = 8, int columns = 8)
    {
        int h = images.Dim(1), w = images.Dim(2), gap = 2;
        var first = images.Rows(0, rows);
        int width = columns * (w + gap) - gap, height = rows * (h + gap) - gap;
        var canvas = new float[width * height];
        for (int col = 0; col < columns; col++)
        {
            var batch = first;
            if (col > 0)
                for (int l = 0; l < layers.Count; l++) batch = layers[l].Augment(batch, step: col, stream: l);
            for (int r = 0; r < rows; r++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        canvas[(r * (h + gap) + y) * width + col * (w + gap) + x] = batch.Data[(r * h + y) * w + x];
        }
        Png.WriteGray(path, canvas, width, height);
    }
}
