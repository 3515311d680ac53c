namespace SequentialNet.Saving;

/// <summary>
/// What one JSON entry may hold, enforced token by token while it is read (<see cref="BoundedJsonReader"/>),
/// so a hostile entry fails at the first token past a budget instead of after it has been turned into a
/// tree. <see cref="MaxTreeBytes"/> bounds the memory of the tree built: each token is charged about what
/// its Newtonsoft.Json node costs (<see cref="BoundedJsonReader"/> lists the charges).
/// </summary>
/// <param name="MaxDepth">Deepest nesting of arrays and objects.</param>
/// <param name="MaxTokens">Most values (objects, arrays, numbers, strings, literals) and member names in the entry.</param>
/// <param name="MaxArrayLength">Most elements of one array.</param>
/// <param name="MaxMembers">Most members of one object.</param>
/// <param name="MaxStringBytes">Longest string or member name, in UTF-8 bytes as written.</param>
/// <param name="MaxTreeBytes">Most bytes the parsed tree may take (estimated per token).</param>
internal sealed record JsonLimits(int MaxDepth, long MaxTokens, int MaxArrayLength, int MaxMembers, int MaxStringBytes, long MaxTreeBytes)
{
    /// <summary>
    /// Tokens a layer entry of config.json may take on average. Built-in layers take 21 (Dropout) to 35
    /// (RandomTranslation); a Dense with custom initializers and regularizers 77; custom layers get headroom.
    /// </summary>
    public const int TokensPerLayer = 128;

    /// <summary>metadata.json: a few fields and the list of entries.</summary>
    public static JsonLimits Metadata { get; } = new(8, 4 * ModelFileFormat.MaxEntries + 256, ModelFileFormat.MaxEntries, 256, 1 << 12, 8L << 20);

    /// <summary>
    /// config.json and model JSON: up to <see cref="ModelFileFormat.MaxLayers"/> layers of
    /// <see cref="TokensPerLayer"/> tokens each, plus the compile config; arrays as long as the layer list.
    /// The tree may take 768 MiB (estimated): 65,536 plain Dense layers take 238 MiB of it, 65,536 Dense
    /// layers with custom initializers and regularizers (the longest entries we know) 585 MiB.
    /// </summary>
    public static JsonLimits Config { get; } = new(64, (long)ModelFileFormat.MaxLayers * TokensPerLayer + (1 << 16),
        ModelFileFormat.MaxLayers, 1 << 12, 1 << 20, 768L << 20);

    /// <summary>A manifest (weights.json, optimizer.json) apart from its tensor list, which is streamed (see <see cref="TensorEntry"/>).</summary>
    public static JsonLimits ManifestHead { get; } = new(8, 1 << 16, 1 << 12, 1 << 12, 1 << 12, 16L << 20);

    /// <summary>
    /// One element of a manifest's tensor list: name, shape (at most 32 dimensions), offset, CRC-32 and
    /// room for a few fields a newer writer may add. Each element is read, checked and dropped.
    /// </summary>
    public static JsonLimits TensorEntry { get; } = new(4, 256, 64, 64, 1 << 12, 1L << 20);
}
