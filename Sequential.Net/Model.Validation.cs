namespace SequentialNet;

// Checks on user data, done before any work so that nothing is lost to a bad argument.
public abstract partial class Model
{
    private int[] CheckInputs(string who, Tensor x, string argument = "x")
    {
        ArgumentNullException.ThrowIfNull(x, argument);
        if (x.Rank < 2 && (InputShape == null || InputShape.Length > 1 || InputShape[0] != 1))
            throw new ArgumentException($"{who}: expected {argument} with a batch axis, shape (N, …). Received: {Tensor.FormatShape(x.Shape)}. Reshape a single feature with {argument}.Reshape(-1, 1).", argument);
        if (x.RowCount == 0) throw new ArgumentException($"{who}: expected at least one sample in {argument}. Received: shape {Tensor.FormatShape(x.Shape)}.", argument);
        int[] sample = x.Rank < 2 ? [1] : x.Shape[1..];
        if (InputShape != null && !sample.AsSpan().SequenceEqual(InputShape))
        {
            string hint = Product(sample) == Product(InputShape)
                ? $" The sizes agree: reshape with {argument}.Reshape(-1, {string.Join(", ", InputShape)}) or start the model with a Flatten/Reshape layer." : "";
            throw new ArgumentException($"{who}: layer \"{Layers[0].Name}\" expected input shape (None, {string.Join(", ", InputShape)}). Received: {argument} of shape {Tensor.FormatShape(x.Shape)}.{hint}", argument);
        }
        RequireFinite(who, x, argument);
        return sample;
    }

    private void CheckTargets(string who, Tensor x, Tensor y, string argument = "y")
    {
        ArgumentNullException.ThrowIfNull(y, argument);
        if (y.RowCount != x.RowCount)
            throw new ArgumentException($"{who}: expected x and {argument} to have the same number of samples. Received: x has {x.RowCount} ({Tensor.FormatShape(x.Shape)}), {argument} has {y.RowCount} ({Tensor.FormatShape(y.Shape)}).", argument);
        RequireFinite(who, y, argument);
        Loss!.ValidateLabels(y, OutputShape!, argument);
    }

    private static void RequireFinite(string who, Tensor t, string argument)
    {
        if (t.AllFinite()) return;
        var data = t.Data;
        for (int i = 0; i < data.Length; i++)
        {
            if (float.IsFinite(data[i])) continue;
            int row = i / Math.Max(1, t.RowLength);
            throw new ArgumentException($"{who}: expected finite values in {argument}. Received: {data[i]} at sample {row} (flat index {i}).", argument);
        }
    }

    private static void RequireBatchSize(string who, int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"{who}: expected batchSize > 0. Received: {batchSize}.");
    }

    /// <summary>The output shape without the batch axis, once the layers are built.</summary>
    public int[]? OutputShape { get; protected set; }

    private static long Product(int[] shape) => ShapeSize.Saturating(shape);
}
