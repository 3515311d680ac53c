using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;

namespace SequentialNet.Saving;

/// <summary>
/// Class names ↔ types for one kind of saved object (layers, losses, optimizers, metrics). Built-in
/// classes are every public, non-abstract subclass in this library, found by reflection, so a class added
/// later is saved and loaded with no registration, provided its constructor parameters match its
/// GetConfig keys (Save checks that). Other classes (user layers) must be registered under a name
/// (Keras's registered_name, "Package>Class").
/// </summary>
internal sealed class ObjectRegistry<TBase> where TBase : class
{
    private readonly string _kind;
    private readonly Dictionary<string, Type> _builtIn;
    private readonly ConcurrentDictionary<string, Custom> _custom = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> _registeredNames = new();

    private sealed record Custom(Type Type, Func<JObject, string, TBase>? Factory);

    public ObjectRegistry(string kind)
    {
        _kind = kind;
        _builtIn = typeof(TBase).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && typeof(TBase).IsAssignableFrom(t))
            .ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Class names of the built-in classes.</summary>
    public IEnumerable<string> BuiltInNames => _builtIn.Keys.Order(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="type"/> under <paramref name="registeredName"/>; <paramref name="factory"/> null means "by constructor".</summary>
    public void Register(Type type, string registeredName, Func<JObject, string, TBase>? factory)
    {
        var entry = new Custom(type, factory);
        var existing = _custom.GetOrAdd(registeredName, entry);
        if (existing.Type != type)
            throw new ArgumentException($"Register: the name \"{registeredName}\" is already registered for {existing.Type.FullName}. Received: {type.FullName}. Choose another name.", nameof(registeredName));
        _custom[registeredName] = entry;
        _registeredNames[type] = registeredName;
    }

    /// <summary>Whether <paramref name="name"/> is a built-in class name or a registered name.</summary>
    public bool Knows(string name) => _builtIn.ContainsKey(name) || _custom.ContainsKey(name);

    /// <summary>(class_name, registered_name) to save <paramref name="instance"/> under; registered_name is null for built-ins.</summary>
    /// <exception cref="InvalidOperationException">A class from outside the library that was never registered.</exception>
    public (string ClassName, string? RegisteredName) NameOf(TBase instance, string what)
    {
        var type = instance.GetType();
        if (_registeredNames.TryGetValue(type, out var registered)) return (type.Name, registered);
        if (_builtIn.TryGetValue(type.Name, out var builtIn) && builtIn == type) return (type.Name, null);
        throw new InvalidOperationException($"Save: {what} is a {type.Name}, which is not registered, so it could not be loaded again. Register the class once at startup, before saving and loading: LayerRegistry.Register<{type.Name}>().");
    }

    /// <summary>Creates the object a config entry describes.</summary>
    public TBase Create(string className, string? registeredName, JObject config, string where)
    {
        if (registeredName != null && _custom.TryGetValue(registeredName, out var custom)) return CreateCustom(custom, config, where);
        if (registeredName == null && _builtIn.TryGetValue(className, out var type))
            return (TBase)ConfigConstructor.Create(type, config, where);
        if (registeredName == null && _custom.TryGetValue(className, out custom)) return CreateCustom(custom, config, where);
        string shown = registeredName == null ? $"class \"{className}\"" : $"class \"{className}\" (registered name \"{registeredName}\")";
        string how = typeof(TBase) == typeof(Layers.Layer)
            ? $" If it is your own layer class, register it before loading: LayerRegistry.Register<{className}>({(registeredName == null ? "" : $"\"{registeredName}\"")})."
            : " The file may have been written by a newer Sequential.Net.";
        throw new FormatProblem($"{where}: unknown {_kind} {shown}.{how} Built-in {_kind} classes: {string.Join(", ", BuiltInNames)}.");
    }

    private static TBase CreateCustom(Custom custom, JObject config, string where)
        => custom.Factory != null ? custom.Factory(config, where) : (TBase)ConfigConstructor.Create(custom.Type, config, where);
}
