using System.Reflection;
using Newtonsoft.Json.Linq;
using SequentialNet.Layers;

namespace SequentialNet.Saving;

/// <summary>
/// Makes your own <see cref="Layer"/> classes savable (Keras's <c>register_keras_serializable</c>).
/// Register each class once at startup, in the program that saves and in the one that loads:
/// <code>LayerRegistry.Register&lt;MyLayer&gt;();   // saved as registered_name "Custom&gt;MyLayer"</code>
/// By default a layer is rebuilt the way Keras does it, <c>cls(**config)</c>: the public constructor is
/// called with the values of <see cref="Layer.GetConfig"/> matched to its parameters by name
/// (<c>"use_bias"</c> → <c>useBias</c>; ints, floats, doubles, bools, strings, enums, arrays of these,
/// activations and initializers). For anything else, pass <c>fromConfig</c>. Built-in layers need no
/// registration.
/// </summary>
public static class LayerRegistry
{
    /// <summary>
    /// Registers <typeparamref name="TLayer"/> under <paramref name="registeredName"/> (default
    /// "Custom&gt;" + the class name, as Keras's default package). Registering the same class and name
    /// again does nothing. Returns the registered name.
    /// </summary>
    /// <param name="registeredName">The name written to files; must be the same when loading.</param>
    /// <param name="fromConfig">Rebuilds a layer from its saved config (JSON numbers arrive as long or double, arrays as object?[], objects as dictionaries); null: by constructor.</param>
    /// <exception cref="ArgumentException">The name is taken by another class, or the constructor cannot be called from a config and no <paramref name="fromConfig"/> was given.</exception>
    public static string Register<TLayer>(string? registeredName = null, Func<IReadOnlyDictionary<string, object?>, TLayer>? fromConfig = null)
        where TLayer : Layer
    {
        registeredName ??= "Custom>" + typeof(TLayer).Name;
        if (string.IsNullOrWhiteSpace(registeredName))
            throw new ArgumentException($"LayerRegistry.Register<{typeof(TLayer).Name}>: expected a non-empty name. Received: \"{registeredName}\".", nameof(registeredName));
        if (fromConfig == null) RequireConfigConstructor(typeof(TLayer));
        Func<JObject, string, Layer>? factory = fromConfig == null ? null : (config, where) => Create(fromConfig, config, where);
        Registries.Layers.Register(typeof(TLayer), registeredName, factory);
        return registeredName;
    }

    /// <summary>Whether <paramref name="name"/> is a built-in layer class or a registered name.</summary>
    public static bool IsRegistered(string name) => Registries.Layers.Knows(name);

    /// <summary>The built-in layer classes, by class name.</summary>
    public static IReadOnlyList<string> BuiltInNames => [.. Registries.Layers.BuiltInNames];

    private static Layer Create<TLayer>(Func<IReadOnlyDictionary<string, object?>, TLayer> fromConfig, JObject config, string where) where TLayer : Layer
    {
        try
        {
            return fromConfig(Plain.ToDictionary(config)) ?? throw new FormatProblem($"{where}: fromConfig of {typeof(TLayer).Name} returned null.");
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or FormatException or KeyNotFoundException or OverflowException or InvalidOperationException)
        {
            throw new FormatProblem($"{where}: fromConfig of {typeof(TLayer).Name} failed: {e.Message}", e);
        }
    }

    private static void RequireConfigConstructor(Type type)
    {
        var ctors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        if (ctors.Any(c => c.GetParameters().All(p => ConfigConstructor.Supports(p.ParameterType)))) return;
        var bad = ctors.SelectMany(c => c.GetParameters()).Where(p => !ConfigConstructor.Supports(p.ParameterType))
            .Select(p => $"{p.Name} ({p.ParameterType.Name})").Distinct();
        throw new ArgumentException($"LayerRegistry.Register<{type.Name}>: expected a public constructor whose parameters can be read from a config. Received: {(ctors.Length == 0 ? "no public constructor" : "parameters " + string.Join(", ", bad))}. Pass fromConfig to rebuild the layer yourself.");
    }
}
