namespace SequentialNet.Initializers;

/// <summary>Every element = <see cref="Value"/>.</summary>
public class Constant(float value = 0f) : Initializer
{
    /// <summary>The fill value.</summary>
    public float Value { get; } = value;

    /// <inheritdoc/>
    public override string Name => "constant";

    /// <inheritdoc/>
    public override float[] Generate(int[] shape, RandomSource random)
    {
        var values = new float[Count(shape)];
        Array.Fill(values, Value);
        return values;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["value"] = Value };
}

/// <summary>Every element 0 (the bias default).</summary>
public sealed class Zeros() : Constant(0f)
{
    /// <inheritdoc/>
    public override string Name => "zeros";
}

/// <summary>Every element 1.</summary>
public sealed class Ones() : Constant(1f)
{
    /// <inheritdoc/>
    public override string Name => "ones";
}
