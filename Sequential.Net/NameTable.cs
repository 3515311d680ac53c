namespace SequentialNet;

/// <summary>
/// Names a user may type for one kind of object (losses, metrics, activations, initializers, optimizers,
/// regularizers), resolved the way Keras's <c>get</c> functions resolve them: the snake_case name
/// ("mean_squared_error"), its short aliases ("mse") and the class name ("MeanSquaredError") all name
/// the same object, in any letter case ("MSE"). Names are compared with case, underscores, hyphens and
/// spaces ignored, so "L1L2" and "l1_l2" are one key. An unknown name fails with the list of names.
/// </summary>
/// <typeparam name="T">The kind of object; each lookup gets what the factory makes (a fresh object, or a shared immutable one).</typeparam>
internal sealed class NameTable<T>
{
    private readonly string _kind;
    private readonly Dictionary<string, Func<T>> _byKey = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>An empty table; <paramref name="kind"/> ("loss") names it in errors.</summary>
    public NameTable(string kind) => _kind = kind;

    /// <summary>
    /// A table of <paramref name="entries"/> (name → factory, as each kind keeps them) plus, when
    /// <paramref name="withClassNames"/>, the class name of what each factory makes ("MeanSquaredError").
    /// </summary>
    public static NameTable<T> From(string kind, IEnumerable<KeyValuePair<string, Func<T>>> entries, bool withClassNames = true)
    {
        var table = new NameTable<T>(kind);
        var list = entries.ToList();
        foreach (var (name, make) in list) table.AddSpelling(name, make);
        if (withClassNames)
            foreach (var (_, make) in list) table.AddAlias(make()!.GetType().Name, make);
        return table;
    }

    /// <summary>Adds <paramref name="make"/> under each of <paramref name="names"/>.</summary>
    /// <exception cref="InvalidOperationException">Two names of the table share a key (a bug in the table).</exception>
    public NameTable<T> Add(Func<T> make, params string[] names)
    {
        foreach (string name in names)
        {
            if (!_byKey.TryAdd(Key(name), make))
                throw new InvalidOperationException($"NameTable<{typeof(T).Name}>: \"{name}\" has the key of another name.");
            _names.Add(name);
        }
        return this;
    }

    /// <summary>
    /// Adds <paramref name="name"/>; a second spelling of a key already listed ("logcosh" beside "log_cosh")
    /// is accepted when it makes the same type, so a kind's list may carry Keras's spellings side by side.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key is taken by a different type (a bug in the list).</exception>
    private void AddSpelling(string name, Func<T> make)
    {
        if (_byKey.TryGetValue(Key(name), out var existing))
        {
            if (existing()?.GetType() != make()?.GetType())
                throw new InvalidOperationException($"NameTable<{typeof(T).Name}>: \"{name}\" has the key of a name of another type.");
        }
        else _byKey[Key(name)] = make;
        _names.Add(name);
    }

    /// <summary>Adds <paramref name="name"/> unless its key is taken ("Accuracy" when "accuracy" is there).</summary>
    public void AddAlias(string name, Func<T> make)
    {
        if (_byKey.TryAdd(Key(name), make)) _names.Add(name);
    }

    /// <summary>Every name as listed (snake_case names, aliases and class names), sorted.</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>The snake_case (Keras config) names: those with no upper-case letter.</summary>
    public IEnumerable<string> SnakeCaseNames => _names.Where(n => !n.Any(char.IsUpper));

    /// <summary>The comparison key: lower case without '_', '-' and spaces.</summary>
    public static string Key(string name)
        => string.Concat(name.Where(c => c is not ('_' or '-' or ' ')).Select(char.ToLowerInvariant));

    /// <summary>Whether <paramref name="name"/> names an entry.</summary>
    public bool Contains(string? name) => name != null && _byKey.ContainsKey(Key(name));

    /// <summary>The object called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public T Get(string? name)
    {
        if (name != null && _byKey.TryGetValue(Key(name), out var make)) return make();
        throw new ArgumentException($"Unknown {_kind}: \"{name}\". Expected one of: {string.Join(", ", SnakeCaseNames)} (any letter case; class names such as {Example} work too).", "name");
    }

    private string Example => _names.FirstOrDefault(n => n.Any(char.IsUpper)) is { } c ? $"\"{c}\"" : "the class name";
}
