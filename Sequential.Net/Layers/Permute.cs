using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// Permutes the axes of each sample (Keras's <c>Permute(dims)</c>): <see cref="Dims"/> numbers the axes from 1
/// (the batch axis, 0, stays first), e.g. <c>Permute([2, 1])</c> swaps the two axes of (batch, a, b). Up to four
/// axes besides the batch. One strided copy forward, the inverse permutation backward.
/// </summary>
public sealed class Permute : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <exception cref="ArgumentException"><paramref name="dims"/> is not a permutation of 1..n, or n &gt; 4.</exception>
    public Permute(int[] dims, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0 || dims.Length > 4 || !dims.Order().SequenceEqual(Enumerable.Range(1, dims.Length)))
            throw new ArgumentException($"Permute: expected a permutation of 1..n (n <= 4; axis 0 is the batch). Received: ({string.Join(", ", dims)}).", nameof(dims));
        Dims = (int[])dims.Clone();
    }

    /// <summary>The new order of the axes, numbered from 1.</summary>
    public int[] Dims { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        if (inputShape.Length != Dims.Length)
            throw new ArgumentException($"Layer \"{Name}\" (Permute) expected an input with {Dims.Length} axes besides the batch (dims ({string.Join(", ", Dims)})). Received: (None, {string.Join(", ", inputShape)}).");
        return [.. Dims.Select(d => inputShape[d - 1])];
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        return ctx.Graph.Permute(x, [.. Dims.Select(d => d - 1)]);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["dims"] = Dims;
        return config;
    }
}
