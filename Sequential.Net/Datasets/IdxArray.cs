namespace SequentialNet.Datasets;

/// <summary>The contents of one IDX file: its dimensions and its unsigned-byte elements, row-major.</summary>
/// <param name="Shape">The dimensions from the file's header, outermost first.</param>
/// <param name="Data">The elements; its length is the product of <paramref name="Shape"/>.</param>
internal sealed record IdxArray(int[] Shape, byte[] Data)
{
    /// <summary>The elements as floats (0..255, unscaled) in a tensor of the same shape.</summary>
    public Tensor ToTensor()
    {
        var values = new float[Data.Length];
        for (int i = 0; i < values.Length; i++) values[i] = Data[i];
        return new Tensor(values, Shape);
    }
}
