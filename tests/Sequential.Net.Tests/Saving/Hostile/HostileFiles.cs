using Newtonsoft.Json.Linq;
using SequentialNet.Layers;
using static SequentialNet.Tests.Saving.Hostile.HostileZip;

namespace SequentialNet.Tests.Saving.Hostile;

/// <summary>
/// The hostile-file suite (docs/model-format.md, "Loading untrusted files"): every kind of crafted model
/// file we know of, each written from a small valid model. The tests (HostileFileTests) assert each
/// outcome; the benchmark's --hostile command measures time and peak memory of loading each one.
/// </summary>
internal static class HostileFiles
{
    /// <summary>Largest JSON entry the reader accepts (ModelFileFormat.MaxJsonBytes).</summary>
    private const long MaxJsonBytes = 64L << 20;

    /// <summary>Writes the valid model every case starts from (compiled and trained one epoch, so it has optimizer state).</summary>
    public static void WriteValidModel(string path)
    {
        using var model = new Sequential(new Dense(16, activation: "relu", inputShape: [6]), new Dropout(0.3), new Dense(3, activation: "softmax"));
        model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var x = new Tensor(Enumerable.Range(0, 48).Select(i => (float)Math.Sin(i)).ToArray(), 8, 6);
        var y = new Tensor(Enumerable.Range(0, 8).Select(i => (float)(i % 3)).ToArray(), 8);
        model.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0);
        model.Save(path);
    }

    public static IReadOnlyList<HostileCase> All { get; } =
    [
        // ---- defended before issue 15 ------------------------------------------------------------
        new("not-a-zip", "a text file", ["expected a zip archive"], (_, t) => File.WriteAllText(t, new string('x', 200))),
        new("empty", "an empty file", ["0 bytes"], (_, t) => File.WriteAllBytes(t, [])),
        new("truncated", "the first half of a valid file", ["zip"], (b, t) => { var bytes = File.ReadAllBytes(b); File.WriteAllBytes(t, bytes[..(bytes.Length / 2)]); }),
        new("newer-format", "format_version 2", ["format version 2", "Upgrade"],
            (b, t) => EditJson(b, t, "metadata.json", j => j["format_version"] = 2)),
        new("type-name", "a .NET type name as class_name, with a $type field", ["unknown layer class \"System.Diagnostics.Process\""],
            (b, t) => EditJson(b, t, "config.json", j => { var l = j["config"]!["layers"]![0]!; l["class_name"] = "System.Diagnostics.Process"; l["$type"] = "System.Diagnostics.Process, System"; })),
        new("huge-units", "units = 10^9 (a 24 GB kernel)", ["too large for one array"],
            (b, t) => EditJson(b, t, "config.json", j => j["config"]!["layers"]![0]!["config"]!["units"] = 1_000_000_000)),
        new("units-beyond-weights", "units = 10^8, more weights than the file holds", ["do not belong together"],
            (b, t) => EditJson(b, t, "config.json", j => j["config"]!["layers"]![0]!["config"]!["units"] = 100_000_000)),
        new("deep-nesting", "100,000 nested arrays in config.json", ["at most 64 levels of nesting"],
            (b, t) => Rewrite(b, t, Replace("config.json", Repeat("{\"a\":", "[", 100_000, new string(']', 100_000) + "}", "")))),
        new("json-over-limit", "a 65 MiB config.json (deflated to 65 KB)", ["expected at most 67108864 bytes"],
            (b, t) => Rewrite(b, t, Replace("config.json", Repeat("{}", " ", MaxJsonBytes + (1 << 20), "", "")))),
        new("zip-bomb", "config.json declares 60 MiB in the zip directory", ["zip bomb"],
            (b, t) => { File.Copy(b, t, overwrite: true); PatchDeclaredSize(t, "config.json", 60u << 20); }),
        new("path-traversal", "an extra entry named ../../escaped.txt", null,
            (b, t) => Rewrite(b, t, Replace(), [("../../escaped.txt", Text("not to be written anywhere"))])),
        new("too-many-entries", "5,000 extra entries", ["at most 4096 zip entries"],
            (b, t) => Rewrite(b, t, Replace(), Enumerable.Range(0, 5000).Select(i => ($"extra/{i}", Text(""))))),
        new("duplicate-entry", "config.json twice", ["several"],
            (b, t) => Rewrite(b, t, Replace(), [("config.json", Text("{}"))])),
        new("corrupted-tensor", "one weight byte changed (zip CRC rewritten to match)", ["is corrupted", "CRC-32"],
            (b, t) => EditBytes(b, t, "weights.bin", bytes => bytes[40] ^= 0x10), WeightsFileToo: true),

        // ---- issue 15: JSON inside the entry limits ------------------------------------------------
        new("object-flood", "config.json: 64 MiB of {} in arrays of 60,000", ["config.json", "expected at most", "Received: more"],
            (b, t) => Rewrite(b, t, Replace("config.json", Repeat("{\"x\":[", "[" + string.Join(",", Enumerable.Repeat("{}", 60_000)) + "]", 370, "]}")))),
        new("object-flood-everywhere", "the same flood in all four JSON entries", ["metadata.json", "expected at most", "Received: more"],
            (b, t) => Rewrite(b, t, Replace(
                ("metadata.json", Flood()), ("config.json", Flood()), ("weights.json", Flood()), ("optimizer.json", Flood())))),
        new("zero-flood", "config.json: 16 MiB of 0, in one array", ["at most 65536 elements in one array"],
            (b, t) => Rewrite(b, t, Replace("config.json", Repeat("{\"x\":[", "0", 8L << 20, "]}")))),
        new("member-flood", "config.json: one object of 2,000,000 members", ["members in one object"],
            (b, t) => Rewrite(b, t, Replace("config.json", MemberFlood(2_000_000)))),
        new("long-string", "config.json: a model name of 48 MiB", ["bytes in one string"],
            (b, t) => Rewrite(b, t, Replace("config.json", Repeat("{\"class_name\":\"Sequential\",\"config\":{\"name\":\"", "a", 48L << 20, "\"}}", "")))),
        new("manifest-2^20-tensors", "weights.json lists 2^20 tensors; weights.bin is the model's", ["weights.json", "elements in \"tensors\""],
            (b, t) => Rewrite(b, t, Replace("weights.json", Manifest(1 << 20))), WeightsFileToo: true),
        new("manifest-2^20-tensors-4MiB", "weights.json lists 2^20 one-float tensors; weights.bin holds 4 MiB", ["weights.json", "expected 4 weights", "1048576 tensors"],
            (b, t) => Rewrite(b, t, Replace(("weights.json", Manifest(1 << 20)), ("weights.bin", Zeros(4L << 20)))), WeightsFileToo: true),
        new("optimizer-manifest-flood", "optimizer.json lists 2^20 tensors", ["optimizer.json", "elements in \"tensors\""],
            (b, t) => Rewrite(b, t, Replace("optimizer.json", Manifest(1 << 20, "\"class_name\":\"Adam\",\"iterations\":2,\"seed\":\"1\",\"slots\":[\"momentum\",\"velocity\"],")))),
        new("huge-integer", "units = 10^30", ["units", "expected a Int32"],
            (b, t) => EditText(b, t, "config.json", s => s.Replace("\"units\": 16", "\"units\": 1000000000000000000000000000000", StringComparison.Ordinal))),
        new("huge-number", "a learning rate of 1e999", ["learning_rate"],
            (b, t) => EditText(b, t, "config.json", s => System.Text.RegularExpressions.Regex.Replace(s, "\"learning_rate\": [0-9.e-]+", "\"learning_rate\": 1e999"))),

        // ---- issue 15: shape arithmetic ------------------------------------------------------------
        new("flatten-2^33", "Flatten built for [null, 65536, 65536, 2]", ["Flatten", "(65536, 65536, 2)", "2147483647"],
            (_, t) => FlattenModel(t, [65536, 65536, 2])),
        new("flatten-2^31", "Flatten built for [null, 46341, 46341]", ["Flatten", "(46341, 46341)", "2147483647"],
            (_, t) => FlattenModel(t, [46341, 46341])),

        // ---- what real models need ---------------------------------------------------------------
        new("65536-layers", "a valid model of 65,536 Dense(1) layers", null, (_, t) => DenseChain(t, 65_536), Slow: true),
        new("65537-layers", "65,537 layers: one past the format's limit", ["65536"],
            (_, t) => { DenseChain(t, 2); EditJson(t, t, "config.json", j => { var layers = (JArray)j["config"]!["layers"]!; while (layers.Count <= 65_536) layers.Add(layers[1].DeepClone()); }); }),
    ];

    private static Dictionary<string, Action<Stream>?> Replace(params (string Name, Action<Stream>? Write)[] entries)
        => entries.ToDictionary(e => e.Name, e => e.Write);

    private static Dictionary<string, Action<Stream>?> Replace(string name, Action<Stream> write) => Replace((name, write));

    /// <summary>64 MiB of {} in arrays of 60,000.</summary>
    private static Action<Stream> Flood() => Repeat("{\"x\":[", "[" + string.Join(",", Enumerable.Repeat("{}", 60_000)) + "]", 370, "]}");

    private static Action<Stream> MemberFlood(int members) => s =>
    {
        using var w = new StreamWriter(s, leaveOpen: true);
        w.Write("{\"class_name\":\"Sequential\",\"config\":{");
        for (int i = 0; i < members; i++) w.Write(i == 0 ? $"\"m{i}\":0" : $",\"m{i}\":0");
        w.Write("}}");
    };

    /// <summary>A manifest of <paramref name="count"/> one-float tensors (scalars, unnamed, with the CRC of a zero), about 57 bytes each.</summary>
    private static Action<Stream> Manifest(int count, string head = "") => s =>
    {
        using var w = new StreamWriter(s, leaveOpen: true);
        w.Write($"{{{head}\"dtype\":\"float32\",\"byte_order\":\"little\",\"tensors\":[");
        for (int i = 0; i < count; i++)
            w.Write($"{(i == 0 ? "" : ",")}{{\"name\":\"\",\"shape\":[],\"offset\":{4L * i},\"crc32\":558161692}}");
        w.Write("]}");
    };

    private static void EditJson(string source, string target, string entry, Action<JObject> edit)
    {
        var json = JObject.Parse(ReadText(source, entry));
        edit(json);
        string temporary = target + ".edit";
        Rewrite(source, temporary, Replace(entry, Text(json.ToString())));
        File.Move(temporary, target, overwrite: true);
    }

    private static void EditText(string source, string target, string entry, Func<string, string> edit)
        => Rewrite(source, target, Replace(entry, Text(edit(ReadText(source, entry)))));

    private static void EditBytes(string source, string target, string entry, Action<byte[]> edit)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(source);
        var data = new MemoryStream();
        using (var s = zip.GetEntry(entry)!.Open()) s.CopyTo(data);
        var bytes = data.ToArray();
        edit(bytes);
        Rewrite(source, target, Replace(entry, s => s.Write(bytes)));
    }

    /// <summary>Flatten → Dense(1), saved built for (2, 2), with build_input_shape changed to <paramref name="shape"/>.</summary>
    private static void FlattenModel(string path, int[] shape)
    {
        using (var model = new Sequential(new Flatten(), new Dense(1)))
        {
            model.Build([2, 2]);
            model.Save(path);
        }
        EditJson(path, path, "config.json", j => j["config"]!["build_input_shape"] = new JArray([JValue.CreateNull(), .. shape.Select(d => (JToken)d)]));
    }

    /// <summary>A model of <paramref name="layers"/> Dense(1) layers on one input, saved uncompiled.</summary>
    private static void DenseChain(string path, int layers)
    {
        using var model = new Sequential(Enumerable.Range(0, layers).Select(i => (Layer)new Dense(1, inputShape: i == 0 ? [1] : null)).ToArray());
        model.Save(path);
    }
}
