using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>(batch, features) → (batch, n, features): the input repeated <see cref="N"/> times (Keras's <c>RepeatVector</c>).</summary>
public sealed class RepeatVector : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <exception cref="ArgumentException"><paramref name="n"/> is not positive.</exception>
    public RepeatVector(int n, string? name = null) : base(name)
    {
        if (n <= 0) throw new ArgumentException($"RepeatVector: expected n > 0. Received: {n}.", nameof(n));
        N = n;
    }

    /// <summary>How many times the input is repeated.</summary>
    public int N { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        if (inputShape.Length != 1)
            throw new ArgumentException($"Layer \"{Name}\" (RepeatVector) expected a 2-D input, (None, features). Received: (None, {string.Join(", ", inputShape)}).");
        return [N, inputShape[0]];
    }

    // n copies of x as (1, features) rows, joined along the new axis; the gradients of the copies add up.
    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        var g = ctx.Graph;
        Node row = g.Reshape(x, [1, x.Shape[0]]);
        return N == 1 ? row : g.Concatenate([.. Enumerable.Repeat(row, N)], 0);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["n"] = N;
        return config;
    }
}
