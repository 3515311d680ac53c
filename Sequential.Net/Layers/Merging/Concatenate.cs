using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// Joins its inputs along <see cref="Axis"/> (Keras's <c>Concatenate(axis=-1)</c>; the axis counts the batch
/// axis as 0, so −1 is the last and 1 the first after the batch). Every other dimension must agree. Each input
/// is copied once into its block of the output (one strided copy; the gradient copies the blocks back).
/// </summary>
public sealed class Concatenate : Merge
{
    /// <summary>Creates the layer.</summary>
    /// <exception cref="ArgumentException"><paramref name="axis"/> is 0 (the batch axis).</exception>
    public Concatenate(int axis = -1, string? name = null) : base(name)
    {
        if (axis == 0) throw new ArgumentException("Concatenate: expected an axis other than 0 (the batch axis). Received: 0.", nameof(axis));
        Axis = axis;
    }

    /// <summary>The axis, counting the batch axis as 0 (negative: from the end).</summary>
    public int Axis { get; }

    /// <summary>The axis as an index into the shapes without the batch axis.</summary>
    private int Resolve(int rank)
    {
        int axis = Axis < 0 ? rank + Axis : Axis - 1;
        if (axis < 0 || axis >= rank)
            throw new ArgumentException($"Layer \"{Name}\" (Concatenate): axis {Axis} does not exist for inputs of rank {rank + 1} (with the batch axis). Expected an axis in [-{rank}, -1] or [1, {rank}].");
        return axis;
    }

    private protected override void CheckShapes(int[][] shapes)
    {
        int rank = shapes[0].Length, axis = Resolve(rank);
        foreach (var shape in shapes)
        {
            bool fits = shape.Length == rank;
            for (int d = 0; fits && d < rank; d++) fits = d == axis || shape[d] == shapes[0][d];
            if (!fits)
                throw new ArgumentException($"Layer \"{Name}\" (Concatenate) expected inputs whose shapes agree except on the concatenation axis {Axis}. Received: {string.Join(" and ", shapes.Select(Format))}.");
        }
    }

    private protected override int[] OutputShape(int[][] shapes)
    {
        int axis = Resolve(shapes[0].Length);
        int[] result = (int[])shapes[0].Clone();
        result[axis] = shapes.Sum(s => s[axis]);
        return result;
    }

    private protected override Node Combine(GraphBuilder g, Node[] inputs) => g.Concatenate(inputs, Resolve(inputs[0].Shape.Length));

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["axis"] = Axis;
        return config;
    }
}
