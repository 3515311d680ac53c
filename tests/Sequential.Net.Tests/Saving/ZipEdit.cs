using System.IO.Compression;
using Newtonsoft.Json.Linq;

namespace SequentialNet.Tests.Saving;

/// <summary>Edits entries of a saved model file in place, as another tool (or a hand) would.</summary>
internal static class ZipEdit
{
    public static void Json(string path, string entry, Action<JObject> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var e = zip.GetEntry(entry)!;
        JObject json;
        using (var r = new StreamReader(e.Open())) json = JObject.Parse(r.ReadToEnd());
        edit(json);
        e.Delete();
        using var w = new StreamWriter(zip.CreateEntry(entry).Open());
        w.Write(json.ToString());
    }

    public static void Bytes(string path, string entry, Action<byte[]> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var e = zip.GetEntry(entry)!;
        var data = new MemoryStream();
        using (var s = e.Open()) s.CopyTo(data);
        var bytes = data.ToArray();
        edit(bytes);
        e.Delete();
        using var w = zip.CreateEntry(entry, CompressionLevel.NoCompression).Open();
        w.Write(bytes);
    }

    public static void Add(string path, string entry, string text)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        using var w = new StreamWriter(zip.CreateEntry(entry).Open());
        w.Write(text);
    }

    public static void Remove(string path, string entry)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        zip.GetEntry(entry)!.Delete();
    }
}
