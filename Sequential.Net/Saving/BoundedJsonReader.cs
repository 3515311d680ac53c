using System.Text;
using System.Text.Json;
using Newtonsoft.Json.Linq;

namespace SequentialNet.Saving;

/// <summary>
/// Parses UTF-8 JSON into a Newtonsoft.Json tree with a streaming reader (System.Text.Json's
/// <see cref="Utf8JsonReader"/>) that checks every token against <see cref="JsonLimits"/> before the node
/// is made: the first token past a budget ends the read with a <see cref="FormatProblem"/> naming the
/// entry, the limit and where in the document it was passed. The tree's cost is charged per node, about
/// what Newtonsoft.Json keeps for it on a 64-bit runtime (measured: 60,000 empty objects take 184 bytes
/// each, numbers 80): an object 176 bytes, an array 136, 8 more per element or member, a member 104 plus
/// two bytes per character of its name, a string 72 plus two per character, any other value 72.
/// An entry read whole is read twice: once counting only, so that one past a limit costs a scan of its
/// bytes and no tree, then building the tree.
/// </summary>
internal ref struct BoundedJsonReader
{
    private const int ObjectCost = 176, ArrayCost = 136, ElementCost = 8, MemberCost = 104 + ElementCost, StringCost = 72, ValueCost = 72;

    private Utf8JsonReader _reader;
    private JsonLimits _limits;
    private readonly string _where;
    private readonly StreamedArray? _streamed;
    private long _tokens, _treeBytes;
    private readonly string?[] _names;
    private readonly int[] _indices;
    private int _depth;
    private bool _inStreamed;
    private readonly bool _build;

    private BoundedJsonReader(ReadOnlySpan<byte> utf8, JsonLimits limits, string where, StreamedArray? streamed, bool build)
    {
        _build = build;
        // The reader's own depth check is a backstop one level past ours, which names the path.
        int maxDepth = Math.Max(limits.MaxDepth, streamed?.ItemLimits.MaxDepth + 1 ?? 0);
        _reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth + 1, CommentHandling = JsonCommentHandling.Skip });
        _limits = limits;
        _where = where;
        _streamed = streamed;
        _names = new string?[maxDepth + 2];
        _indices = new int[maxDepth + 2];
    }

    /// <summary>
    /// The JSON object in <paramref name="utf8"/> (nothing but whitespace and comments after it), read under
    /// <paramref name="limits"/>; <paramref name="streamed"/>, if given, names a root member handed over element by element.
    /// </summary>
    public static JObject ParseObject(ReadOnlySpan<byte> utf8, JsonLimits limits, string where, StreamedArray? streamed = null)
    {
        // Without a streamed member the whole tree is kept: check every limit in a pass that builds nothing
        // first, so an entry past them costs a scan of its bytes, not a tree up to the budget.
        if (streamed == null) Read(utf8, limits, where, null, build: false);
        return (JObject)Read(utf8, limits, where, streamed, build: true)!;
    }

    private static JToken? Read(ReadOnlySpan<byte> utf8, JsonLimits limits, string where, StreamedArray? streamed, bool build)
    {
        var parser = new BoundedJsonReader(utf8, limits, where, streamed, build);
        try
        {
            parser.Next();
            if (parser._reader.TokenType != JsonTokenType.StartObject)
                throw new FormatProblem($"{where}: expected a JSON object. Received: a {Describe(parser._reader.TokenType)} first.");
            var root = parser.ReadValue();
            if (parser._reader.Read())
                throw new FormatProblem($"{where}: expected one JSON object. Received: more content after it (byte {parser._reader.TokenStartIndex}).");
            return root;
        }
        catch (JsonException e) { throw new FormatProblem($"{where}: expected valid JSON. Received: {e.Message}", e); }
        catch (InvalidOperationException e) { throw new FormatProblem($"{where}: expected valid JSON in UTF-8. Received: {e.Message}", e); }
    }

    /// <summary>Text given by a caller (model JSON): its length is checked before it is encoded.</summary>
    public static JObject ParseObject(string text, JsonLimits limits, string where)
    {
        if (text.Length > ModelFileFormat.MaxJsonBytes)
            throw new FormatProblem($"{where}: expected at most {ModelFileFormat.MaxJsonBytes} characters. Received: {text.Length}.");
        byte[] utf8;
        try { utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(text); }
        catch (EncoderFallbackException e) { throw new FormatProblem($"{where}: expected text that UTF-8 can encode. Received: {e.Message}", e); }
        return ParseObject(utf8, limits, where);
    }

    private void Next()
    {
        if (!_reader.Read()) throw new FormatProblem($"{_where}: expected a JSON value at {Path()}. Received: the end of the text.");
    }

    /// <summary>The value (null when only counting) whose first token is the current one; leaves the reader on its last token.</summary>
    private JToken? ReadValue()
    {
        switch (_reader.TokenType)
        {
            case JsonTokenType.StartObject: Charge(ObjectCost); return ReadObject();
            case JsonTokenType.StartArray: Charge(ArrayCost); return ReadArray();
            case JsonTokenType.String: return ReadString(StringCost, _build) is { } text ? new JValue(text) : null;
            case JsonTokenType.Number: Charge(ValueCost); return ReadNumber();
            case JsonTokenType.True: Charge(ValueCost); return _build ? new JValue(true) : null;
            case JsonTokenType.False: Charge(ValueCost); return _build ? new JValue(false) : null;
            case JsonTokenType.Null: Charge(ValueCost); return _build ? JValue.CreateNull() : null;
            default: throw new FormatProblem($"{_where}: expected a JSON value at {Path()}. Received: a {Describe(_reader.TokenType)}.");
        }
    }

    private JObject? ReadObject()
    {
        var result = _build ? new JObject() : null;
        int members = 0;
        Enter();
        while (true)
        {
            Next();
            if (_reader.TokenType == JsonTokenType.EndObject) break;
            if (++members > _limits.MaxMembers) throw Limit($"members in one object", _limits.MaxMembers);
            string name = ReadString(MemberCost, build: true)!;
            _names[_depth] = name;
            Next();
            if (_depth == 1 && _streamed != null && name == _streamed.Name) ReadStreamed(_streamed);
            else if (ReadValue() is { } value) result![name] = value;   // a repeated name keeps the last value, as Python's json does
        }
        _names[_depth] = null;
        _depth--;
        return result;
    }

    private JArray? ReadArray()
    {
        var result = _build ? new JArray() : null;
        Enter();
        for (int i = 0; ; i++)
        {
            Next();
            if (_reader.TokenType == JsonTokenType.EndArray) break;
            _indices[_depth] = i;
            if (i >= _limits.MaxArrayLength) throw Limit("elements in one array", _limits.MaxArrayLength);
            Charge(ElementCost, countToken: false);
            var value = ReadValue();
            result?.Add(value!);
        }
        _depth--;
        return result;
    }

    /// <summary>The streamed member: each element parsed under the item limits with fresh budgets, handed over, dropped.</summary>
    private void ReadStreamed(StreamedArray streamed)
    {
        if (_reader.TokenType != JsonTokenType.StartArray)
            throw new FormatProblem($"{_where}: expected \"{streamed.Name}\" to be an array. Received: a {Describe(_reader.TokenType)}.");
        var (outer, tokens, treeBytes) = (_limits, _tokens, _treeBytes);
        _limits = streamed.ItemLimits with { MaxDepth = streamed.ItemLimits.MaxDepth + _depth + 1 };
        _depth++;
        int i = 0;
        for (; ; i++)
        {
            Next();
            if (_reader.TokenType == JsonTokenType.EndArray) break;
            _indices[_depth] = i;
            if (i >= streamed.MaxItems) throw Limit($"elements in \"{streamed.Name}\"", streamed.MaxItems);
            (_tokens, _treeBytes, _inStreamed) = (0, 0, true);
            var item = ReadValue();
            _inStreamed = false;
            streamed.OnItem(item!, i);
        }
        _depth--;
        (_limits, _tokens, _treeBytes) = (outer, tokens + 1, treeBytes + ArrayCost);
        streamed.Count = i;
    }

    private void Enter()
    {
        if (++_depth > _limits.MaxDepth) throw Limit("levels of nesting", _limits.MaxDepth);
    }

    private string? ReadString(int cost, bool build)
    {
        int length = _reader.HasValueSequence ? (int)Math.Min(int.MaxValue, _reader.ValueSequence.Length) : _reader.ValueSpan.Length;
        if (length > _limits.MaxStringBytes) throw Limit("bytes in one string", _limits.MaxStringBytes);
        Charge(cost + 2L * length);
        return build ? _reader.GetString() : null;
    }

    /// <summary>An integer (no fraction or exponent) that fits a long stays an integer, as Newtonsoft.Json reads it; anything else is a double.</summary>
    private JValue? ReadNumber()
    {
        var text = _reader.ValueSpan;
        if (text.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && _reader.TryGetInt64(out long integer)) return _build ? new JValue(integer) : null;
        if (_reader.TryGetDouble(out double value) && double.IsFinite(value)) return _build ? new JValue(value) : null;
        throw new FormatProblem($"{_where}: expected a finite number a double can hold at {Path()}. Received: {Encoding.UTF8.GetString(text[..Math.Min(text.Length, 40)])}.");
    }

    private void Charge(long bytes, bool countToken = true)
    {
        if (countToken && ++_tokens > _limits.MaxTokens) throw Limit("JSON values and member names", _limits.MaxTokens);
        _treeBytes += bytes;
        if (_treeBytes > _limits.MaxTreeBytes) throw Limit("bytes of parsed JSON (estimated)", _limits.MaxTreeBytes);
    }

    private FormatProblem Limit(string what, long max)
        => new($"{_where}: expected at most {max} {what}{(_inStreamed ? $" in each element of \"{_streamed!.Name}\"" : "")}. Received: more, at {Path()} (byte {_reader.TokenStartIndex}). The entry is corrupted or hostile, or bigger than this reader supports.");

    /// <summary>Where the reader is, e.g. config.layers[3].config.</summary>
    private string Path()
    {
        var path = new StringBuilder("$");
        for (int d = 1; d <= _depth; d++)
        {
            if (_names[d] is { } name) path.Append('.').Append(name.Length > 40 ? name[..40] + "…" : name);
            else path.Append('[').Append(_indices[d]).Append(']');
        }
        return path.ToString();
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };
}
