using Newtonsoft.Json.Linq;
using SequentialNet.Initializers;

namespace SequentialNet.Saving;

/// <summary>
/// How activations and initializers appear in a layer's config: by Keras name ("relu", "glorot_uniform")
/// when the name alone rebuilds them, otherwise as <c>{"class_name": name, "config": {…}}</c> (a
/// leaky_relu with another slope, a constant initializer with another value).
/// </summary>
internal static class ConfigValues
{
    /// <summary>The config value of an activation function.</summary>
    public static object Activation(ActivationFunction function)
    {
        if (function.Config == null || SameConfig(function.Config, Known(() => Activations.Get(function.Name))?.Config)) return function.Name;
        return new Dictionary<string, object?> { ["class_name"] = function.Name, ["config"] = function.Config };
    }

    /// <summary>The config value of an initializer.</summary>
    public static object Initializer(Initializer initializer)
    {
        var config = initializer.GetConfig();
        if (SameConfig(config, Known(() => Initializers.Initializer.Get(initializer.Name))?.GetConfig())) return initializer.Name;
        return new Dictionary<string, object?> { ["class_name"] = initializer.Name, ["config"] = config };
    }

    /// <summary>The config value of a learning-rate schedule, as Keras serializes it.</summary>
    public static object Schedule(Optimizers.LearningRateSchedule schedule) => new Dictionary<string, object?>
    {
        ["module"] = "keras.optimizers.schedules", ["class_name"] = schedule.Name, ["config"] = schedule.GetConfig(), ["registered_name"] = null,
    };

    /// <summary>
    /// The keys every kernel-and-bias layer (Dense, Conv1D, Conv2D) ends its config with, in Keras's order:
    /// activation, use_bias, kernel/bias initializers, kernel/bias regularizers.
    /// </summary>
    public static void AddKernelAndBias(Dictionary<string, object?> config, ActivationFunction activation, bool useBias,
        Initializer kernelInitializer, Initializer biasInitializer, Regularizers.Regularizer? kernelRegularizer, Regularizers.Regularizer? biasRegularizer)
    {
        config["activation"] = Activation(activation);
        config["use_bias"] = useBias;
        config["kernel_initializer"] = Initializer(kernelInitializer);
        config["bias_initializer"] = Initializer(biasInitializer);
        config["kernel_regularizer"] = Regularizer(kernelRegularizer);
        config["bias_regularizer"] = Regularizer(biasRegularizer);
    }

    /// <summary>The config value of a regularizer, as Keras serializes it; null for none.</summary>
    public static object? Regularizer(Regularizers.Regularizer? regularizer) => regularizer == null ? null : new Dictionary<string, object?>
    {
        ["module"] = "keras.regularizers", ["class_name"] = regularizer.Name, ["config"] = regularizer.GetConfig(), ["registered_name"] = null,
    };

    /// <summary>Reads a regularizer written by <see cref="Regularizer"/> (or a bare name: "l1", "l2", "l1_l2").</summary>
    public static Regularizers.Regularizer ReadRegularizer(JToken token, string where)
    {
        var (name, config) = NameAndConfig(token, where, "a regularizer");
        try
        {
            if (config == null) return Regularizers.Regularizer.Get(name);
            return name switch
            {
                "L1" => new Regularizers.L1(Number(config, "l1", where)),
                "L2" => new Regularizers.L2(Number(config, "l2", where)),
                "L1L2" => new Regularizers.L1L2(Number(config, "l1", where), Number(config, "l2", where)),
                _ => Regularizers.Regularizer.Get(name),
            };
        }
        catch (ArgumentException e) { throw new FormatProblem($"{where}: {e.Message}", e); }
    }

    /// <summary>Reads a learning-rate schedule written by <see cref="Schedule"/>.</summary>
    public static Optimizers.LearningRateSchedule ReadSchedule(JToken token, string where)
    {
        if (token is not JObject o || Json.Optional(o, "config") is not JObject config)
            throw new FormatProblem($"{where}: expected a learning-rate schedule: {{\"class_name\": …, \"config\": {{…}}}}. Received: {Json.Describe(token)}.");
        return Registries.Schedules.Create(Json.String(o, "class_name", where), null, config, where);
    }

    /// <summary>Reads an activation written by <see cref="Activation(ActivationFunction)"/>.</summary>
    public static ActivationFunction ReadActivation(JToken token, string where)
    {
        var (name, config) = NameAndConfig(token, where, "an activation");
        if (name == "leaky_relu" && config != null)
            return Activations.LeakyRelu((float)Number(config, "negative_slope", where));
        if (name == "gelu" && config?["approximate"] is JValue { Type: JTokenType.Boolean } approximate)
            return Activations.GeluWith(approximate.Value<bool>());
        try { return Activations.Get(name); }
        catch (ArgumentException e) { throw new FormatProblem($"{where}: {e.Message}", e); }
    }

    /// <summary>Reads an initializer written by <see cref="Initializer(Initializers.Initializer)"/>.</summary>
    public static Initializer ReadInitializer(JToken token, string where)
    {
        var (name, config) = NameAndConfig(token, where, "an initializer");
        if (config != null)
        {
            switch (name)
            {
                case "constant": return new Constant((float)Number(config, "value", where));
                case "random_normal": return new RandomNormal(Number(config, "mean", where), Number(config, "stddev", where));
                case "random_uniform": return new RandomUniform(Number(config, "minval", where), Number(config, "maxval", where));
                case "variance_scaling":
                    return new VarianceScaling(Number(config, "scale", where), Json.String(config, "mode", where), Json.String(config, "distribution", where),
                        config["seed"] is JValue { Type: JTokenType.Integer } seed ? seed.Value<int>() : null);
                default:
                    if (Initializers.Initializer.Names.Contains(name))   // by constructor: the config keys name its parameters
                        return (Initializer)ConfigConstructor.Create(Initializers.Initializer.Get(name).GetType(), config, where);
                    break;
            }
        }
        try { return Initializers.Initializer.Get(name); }
        catch (ArgumentException e) { throw new FormatProblem($"{where}: {e.Message}", e); }
    }

    private static (string Name, JObject? Config) NameAndConfig(JToken token, string where, string what)
    {
        if (token is JValue { Type: JTokenType.String, Value: string name }) return (name, null);
        if (token is JObject o) return (Json.String(o, "class_name", where), Json.Optional(o, "config") as JObject);
        throw new FormatProblem($"{where}: expected {what}: a name or {{\"class_name\": …, \"config\": {{…}}}}. Received: {Json.Describe(token)}.");
    }

    private static double Number(JObject config, string key, string where)
    {
        if (config.TryGetValue(key, StringComparison.Ordinal, out var t) && t.Type is JTokenType.Float or JTokenType.Integer)
        {
            double value = t.Value<double>();
            if (double.IsFinite(value)) return value;
        }
        throw new FormatProblem($"{where}: expected \"{key}\" to be a finite number. Received: {Json.Describe(config[key])}.");
    }

    private static bool SameConfig(object? a, object? b)
        => a != null && b != null && Json.Compact(Json.FromObject(a)) == Json.Compact(Json.FromObject(b));

    private static T? Known<T>(Func<T> lookup) where T : class
    {
        try { return lookup(); }
        catch (ArgumentException) { return null; }
    }
}
