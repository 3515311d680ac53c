using System.Text;
using Newtonsoft.Json.Linq;
using SequentialNet.Layers;
using SequentialNet.Saving;

namespace SequentialNet.Tests.Saving;

/// <summary>
/// The streaming JSON reader: it builds the same tree Newtonsoft.Json builds for what the writer writes,
/// and stops at the first token past each limit with a message naming the limit and the place.
/// </summary>
public class BoundedJsonTests
{
    private static readonly JsonLimits Small = new(MaxDepth: 4, MaxTokens: 50, MaxArrayLength: 10, MaxMembers: 5, MaxStringBytes: 16, MaxTreeBytes: 100_000);

    private static JObject Parse(string text, JsonLimits? limits = null) => BoundedJsonReader.ParseObject(Encoding.UTF8.GetBytes(text), limits ?? JsonLimits.Config, "test.json");

    private static string Fails(string text, JsonLimits? limits = null) => Assert.Throws<FormatProblem>(() => Parse(text, limits))!.Message;

    [Test]
    public void BuildsTheTreeNewtonsoftBuilds()
    {
        const string text = """
            {"a": 1, "b": -9223372036854775808, "c": 0.001, "d": 1e-7, "e": 2.5E+10, "f": "x\u00e9\"\n",
             "g": [null, true, false, [], {}], "h": {"i": {"j": [1, [2, [3]]]}}, "k": 12345678901234567890, "l": -0.0}
            """;
        var ours = Parse(text);
        var theirs = JObject.Parse(text);
        Assert.That(Json.Compact(ours), Is.EqualTo(Json.Compact(theirs).Replace("12345678901234567890", "1.2345678901234567E+19", StringComparison.Ordinal)),
            "identical except an integer past a long, which becomes a double here (Newtonsoft keeps a BigInteger)");
        Assert.That(ours["a"]!.Type, Is.EqualTo(JTokenType.Integer));
        Assert.That(ours["c"]!.Type, Is.EqualTo(JTokenType.Float));
    }

    [Test]
    public void AModelsJsonReadsBackTheSame()
    {
        using var model = new Sequential(new Dense(4, activation: Activations.LeakyRelu(0.25f), inputShape: [3]), new Dropout(0.125), new BatchNormalization(), new Dense(2));
        string json = model.ToJson();
        Assert.That(Json.Compact(Parse(json)), Is.EqualTo(Json.Compact(JObject.Parse(json))));
        using var copy = Model.FromJson(json);
        Assert.That(copy.ToJson(), Is.EqualTo(json));
    }

    [TestCase("{\"a\": [[[[1]]]]}", "at most 4 levels of nesting", "$.a[0][0][0]")]
    [TestCase("{\"a\": [0,1,2,3,4,5,6,7,8,9,10]}", "at most 10 elements in one array", "$.a[10]")]
    [TestCase("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6}", "at most 5 members in one object", "$.e")]
    [TestCase("{\"a\": \"abcdefghijklmnopq\"}", "at most 16 bytes in one string", "$.a")]
    [TestCase("{\"abcdefghijklmnopq\": 1}", "at most 16 bytes in one string", "$")]
    [TestCase("{\"a\":[[1,1,1,1,1,1,1,1,1,1],[1,1,1,1,1,1,1,1,1,1],[1,1,1,1,1,1,1,1,1,1],[1,1,1,1,1,1,1,1,1,1],[1,1,1,1,1,1,1,1,1,1]]}", "at most 50 JSON values and member names", "$.a[4]")]
    public void StopsAtTheFirstTokenPastALimit(string text, string limit, string place)
    {
        string message = Fails(text, Small);
        Assert.That(message, Does.StartWith("test.json: expected " + limit.Split(' ')[0]));
        Assert.That(message, Does.Contain(limit));
        Assert.That(message, Does.Contain($"at {place}"));
    }

    [Test]
    public void TheTreeBytesBudgetCountsEachNode()
    {
        // 10 empty objects in an array: 176 (root) + 112 + 2 (member "a") + 136 (array) + 10 × (176 + 8) = 2,266 bytes charged.
        string text = "{\"a\":[" + string.Join(",", Enumerable.Repeat("{}", 10)) + "]}";
        Assert.DoesNotThrow(() => Parse(text, Small with { MaxTreeBytes = 2266 }));
        Assert.That(Fails(text, Small with { MaxTreeBytes = 2265 }), Does.Contain("at most 2265 bytes of parsed JSON (estimated)"));
    }

    [TestCase("[1]", "expected a JSON object")]
    [TestCase("{\"a\": 1} {}", "expected valid JSON")]
    [TestCase("{\"a\": 1e999}", "expected a finite number a double can hold at $.a")]
    [TestCase("{\"a\": }", "expected valid JSON")]
    [TestCase("", "expected valid JSON")]
    public void MalformedJsonIsAFormatProblem(string text, string fragment) => Assert.That(Fails(text), Does.Contain(fragment));

    [Test]
    public void InvalidUtf8IsAFormatProblem()
    {
        byte[] bytes = [.. "{\"a\": \""u8, 0xC3, 0x28, .. "\"}"u8];
        var e = Assert.Throws<FormatProblem>(() => BoundedJsonReader.ParseObject(bytes, JsonLimits.Config, "test.json"))!;
        Assert.That(e.Message, Does.StartWith("test.json: expected valid JSON"));
    }

    [Test]
    public void AStreamedArrayIsHandedOverElementByElement()
    {
        var seen = new List<string>();
        var streamed = new StreamedArray("t", 3, Small, (item, i) => seen.Add($"{i}:{Json.Compact(item)}"));
        var head = BoundedJsonReader.ParseObject("{\"x\": 1, \"t\": [{\"n\": 1}, [2], 3], \"y\": 2}"u8, Small, "m.json", streamed);
        Assert.That(seen, Is.EqualTo(new[] { "0:{\"n\":1}", "1:[2]", "2:3" }));
        Assert.That(streamed.Count, Is.EqualTo(3));
        Assert.That(Json.Compact(head), Is.EqualTo("{\"x\":1,\"y\":2}"));
        var tooMany = new StreamedArray("t", 2, Small, (_, _) => { });
        var e = Assert.Throws<FormatProblem>(() => BoundedJsonReader.ParseObject("{\"t\": [1, 2, 3]}"u8, Small, "m.json", tooMany))!;
        Assert.That(e.Message, Does.Contain("at most 2 elements in \"t\"").And.Contain("$.t[2]"));
    }

    [Test]
    public void FromJsonFailsOnlyWithModelFormatException()
    {
        string deep = "{\"a\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        Assert.That(Assert.Throws<ModelFormatException>(() => Model.FromJson(deep))!.Message, Does.Contain("model JSON: expected at most 64 levels of nesting"));
        string members = "{" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"m{i}\":0")) + "}";
        Assert.That(Assert.Throws<ModelFormatException>(() => Model.FromJson(members))!.Message, Does.Contain("at most 4096 members in one object"));
        Assert.That(Assert.Throws<ModelFormatException>(() => Model.FromJson("{\"name\": \"" + new string('a', 2 << 20) + "\"}"))!.Message, Does.Contain("bytes in one string"));
        Assert.That(Assert.Throws<ModelFormatException>(() => Model.FromJson(new string(' ', (64 << 20) + 1)))!.Message, Does.Contain("at most 67108864 characters"));
        Assert.That(Assert.Throws<ModelFormatException>(() => Model.FromJson("{\"name\": \"\ud800\"}"))!.Message, Does.Contain("UTF-8"));
        using var model = new Sequential(new Dense(4, inputShape: [6]));
        model.Build([6]);
        string huge = model.ToJson().Replace("\"units\": 4", "\"units\": 1000000000", StringComparison.Ordinal);
        Assert.That(Assert.Throws<ModelFormatException>(() => Model.FromJson(huge))!.Message, Does.Contain("too large for one array"));
        using var flattenModel = new Sequential(new Flatten(inputShape: [2, 2]), new Dense(1));
        var flatten = JObject.Parse(flattenModel.ToJson());
        flatten["config"]!["build_input_shape"] = new JArray(JValue.CreateNull(), 65536, 65536);
        flatten["config"]!["layers"]![0]!["config"]!["input_shape"] = new JArray(65536, 65536);
        Assert.That(Assert.Throws<ModelFormatException>(() => Model.FromJson(flatten.ToString()))!.Message,
            Does.Contain("(Flatten): expected at most 2147483647 values per sample. Received: shape (65536, 65536) (4294967296 values per sample)"));
    }
}
