namespace SequentialNet.Tests.Training;

/// <summary>Small synthetic data sets with known answers.</summary>
internal static class TestData
{
    public static Tensor Random(int rows, int cols, int seed, float scale = 1f)
    {
        var r = new Random(seed);
        var data = new float[rows * cols];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(r.NextDouble() * 2 - 1) * scale;
        return new Tensor(data, rows, cols);
    }

    public static Tensor Labels(int rows, int classes, int seed)
    {
        var r = new Random(seed);
        return Tensor.FromLabels(Enumerable.Range(0, rows).Select(_ => r.Next(classes)).ToArray());
    }

    public static (Tensor X, Tensor Y) Xor() => (
        new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } },
        Tensor.FromArray(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } }));
}
