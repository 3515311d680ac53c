namespace SequentialNet.Initializers;

/// <summary>
/// An orthogonal matrix times <c>gain</c> (Keras <c>Orthogonal(gain=1.0, seed=None)</c>): the variable is
/// viewed as (prod(shape[:-1]), shape[-1]); a normal matrix of the taller orientation is factored A = QR and
/// Q·sign(diag R) taken (transposed back when the variable is wide), so its rows or columns are orthonormal.
/// </summary>
public sealed class Orthogonal(double gain = 1.0, int? seed = null) : Initializer
{
    /// <summary>The initializer's own seed; null: the model's seed.</summary>
    public int? Seed { get; } = seed;

    /// <inheritdoc/>
    public override string Name => "orthogonal";

    /// <inheritdoc/>
    public override float[] Generate(int[] shape, RandomSource random)
    {
        if (shape.Length < 2)
            throw new ArgumentException($"Orthogonal: expected a variable of rank 2 or more. Received: shape {Tensor.FormatShape(shape)}.", nameof(shape));
        if (Seed is { } s) random = new RandomSource((ulong)(uint)s, 0);
        int cols = shape[^1], rows = Count(shape) / cols;
        int tall = Math.Max(rows, cols), narrow = Math.Min(rows, cols);
        var q = new double[narrow][];                     // q[j]: column j of the (tall, narrow) normal matrix
        for (int j = 0; j < narrow; j++)
        {
            q[j] = new double[tall];
            for (int i = 0; i < tall; i++) q[j][i] = random.Normal();
        }
        // Modified Gram–Schmidt: Q of A = QR with R's diagonal positive, which is Keras's q·sign(diag r).
        for (int j = 0; j < narrow; j++)
        {
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < tall; i++) dot += q[k][i] * q[j][i];
                for (int i = 0; i < tall; i++) q[j][i] -= dot * q[k][i];
            }
            double norm = 0;
            for (int i = 0; i < tall; i++) norm += q[j][i] * q[j][i];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < tall; i++) q[j][i] /= norm;
        }
        var values = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                values[r * cols + c] = (float)(gain * (rows >= cols ? q[c][r] : q[r][c]));
        return values;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["gain"] = gain, ["seed"] = Seed };
}
