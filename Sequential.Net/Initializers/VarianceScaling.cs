namespace SequentialNet.Initializers;

/// <summary>
/// Keras VarianceScaling: σ² = scale / n with n = fan_in, fan_out or their mean; "uniform" draws from
/// U(±√(3σ²)), "truncated_normal" from a normal truncated at ±2σ whose σ is divided by 0.8796… so the
/// truncated distribution keeps the variance (random_initializers.py).
/// </summary>
public class VarianceScaling(double scale, string mode, string distribution, string name = "variance_scaling") : Initializer
{
    private const double TruncatedStdCorrection = 0.87962566103423978;

    /// <inheritdoc/>
    public override string Name => name;

    /// <inheritdoc/>
    public override float[] Generate(int[] shape, RandomSource random)
    {
        var (fanIn, fanOut) = Fans(shape);
        double n = mode switch { "fan_in" => fanIn, "fan_out" => fanOut, _ => (fanIn + fanOut) / 2 };
        double variance = scale / Math.Max(1.0, n);
        var values = new float[Count(shape)];
        if (distribution == "uniform")
        {
            double limit = Math.Sqrt(3 * variance);
            for (int i = 0; i < values.Length; i++) values[i] = (float)random.Uniform(-limit, limit);
        }
        else
        {
            double std = Math.Sqrt(variance) / (distribution == "truncated_normal" ? TruncatedStdCorrection : 1);
            for (int i = 0; i < values.Length; i++)
                values[i] = (float)(std * (distribution == "truncated_normal" ? random.TruncatedNormal() : random.Normal()));
        }
        return values;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["scale"] = scale, ["mode"] = mode, ["distribution"] = distribution };
}

/// <summary>U(±√(6/(fan_in+fan_out))): the Dense default.</summary>
public sealed class GlorotUniform() : VarianceScaling(1.0, "fan_avg", "uniform", "glorot_uniform");
/// <summary>Truncated normal, σ = √(2/(fan_in+fan_out)).</summary>
public sealed class GlorotNormal() : VarianceScaling(1.0, "fan_avg", "truncated_normal", "glorot_normal");
/// <summary>U(±√(6/fan_in)).</summary>
public sealed class HeUniform() : VarianceScaling(2.0, "fan_in", "uniform", "he_uniform");
/// <summary>Truncated normal, σ = √(2/fan_in).</summary>
public sealed class HeNormal() : VarianceScaling(2.0, "fan_in", "truncated_normal", "he_normal");
/// <summary>Truncated normal, σ = √(1/fan_in).</summary>
public sealed class LecunNormal() : VarianceScaling(1.0, "fan_in", "truncated_normal", "lecun_normal");
/// <summary>U(±√(3/fan_in)).</summary>
public sealed class LecunUniform() : VarianceScaling(1.0, "fan_in", "uniform", "lecun_uniform");
