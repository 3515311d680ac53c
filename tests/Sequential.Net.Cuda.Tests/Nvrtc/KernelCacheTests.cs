namespace SequentialNet.Cuda.Tests;

/// <summary>
/// The kernel cache: memory and disk hits, atomic writes, and corrupt or truncated entries recompiled
/// rather than trusted. Each test uses its own temporary cache folder.
/// </summary>
[Category("Nvrtc")]
public class KernelCacheTests
{
    private static readonly KernelFile Header = new("scale.cuh", "#pragma once\ninline float scaled(float v) { return 3.0f * v; }\n");
    private static readonly KernelFile Program = new("scale.cu",
        "#include \"scale.cuh\"\nextern \"C\" __global__ void scale_fwd_f32(float* x, unsigned int n)\n{\n" +
        "    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) x[i] = scaled(x[i]);\n}\n");

    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("sequential-net-kernel-cache-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string EntryPath(int arch) =>
        Path.Combine(_folder, Convert.ToHexStringLower(KernelCache.Key(Program, [Header], KernelCompiler.Options(arch), arch, KernelCompiler.Version)) + ".cubin");

    [Test]
    public void SecondRequestIsAHitInMemoryThenOnDisk()
    {
        NvrtcCompileTests.RequireNvrtc();
        var first = new KernelCache(_folder);
        byte[] compiled = first.GetCubin(Program, [Header], 80);
        Assert.That((first.Compilations, first.MemoryHits, first.DiskHits), Is.EqualTo((1, 0, 0)));
        Assert.That(File.Exists(EntryPath(80)), "the entry is written to <folder>/<sha256>.cubin");

        Assert.That(first.GetCubin(Program, [Header], 80), Is.SameAs(compiled));
        Assert.That((first.Compilations, first.MemoryHits, first.DiskHits), Is.EqualTo((1, 1, 0)));

        var second = new KernelCache(_folder);   // a fresh process, as far as memory goes
        Assert.That(second.GetCubin(Program, [Header], 80), Is.EqualTo(compiled));
        Assert.That((second.Compilations, second.DiskHits, second.RejectedEntries), Is.EqualTo((0, 1, 0)));
    }

    [Test]
    public void EachArchitectureHasItsOwnEntry()
    {
        NvrtcCompileTests.RequireNvrtc();
        var cache = new KernelCache(_folder);
        cache.GetCubin(Program, [Header], 80);
        cache.GetCubin(Program, [Header], 90);
        Assert.That(cache.Compilations, Is.EqualTo(2));
        Assert.That(Directory.GetFiles(_folder, "*.cubin"), Has.Length.EqualTo(2));
    }

    [TestCase("flip a payload byte")]
    [TestCase("truncate")]
    [TestCase("empty file")]
    [TestCase("flip a header byte")]
    public void CorruptEntryIsRecompiledNotTrusted(string damage)
    {
        NvrtcCompileTests.RequireNvrtc();
        byte[] good = new KernelCache(_folder).GetCubin(Program, [Header], 80);
        string path = EntryPath(80);
        byte[] file = File.ReadAllBytes(path);
        switch (damage)
        {
            case "flip a payload byte": file[KernelCache.HeaderBytes + file.Length / 3] ^= 0x40; break;
            case "truncate": file = file[..(file.Length / 2)]; break;
            case "empty file": file = []; break;
            default: file[10] ^= 0x01; break;   // the payload length
        }
        File.WriteAllBytes(path, file);

        var cache = new KernelCache(_folder);
        Assert.That(cache.GetCubin(Program, [Header], 80), Is.EqualTo(good));
        Assert.That((cache.RejectedEntries, cache.Compilations, cache.DiskHits), Is.EqualTo((1, 1, 0)));

        var after = new KernelCache(_folder);
        after.GetCubin(Program, [Header], 80);
        Assert.That((after.DiskHits, after.Compilations), Is.EqualTo((1, 0)), "the recompiled entry replaced the damaged one");
    }

    [Test]
    public void AnEntryFiledUnderAnotherKeyIsRejected()
    {
        NvrtcCompileTests.RequireNvrtc();
        new KernelCache(_folder).GetCubin(Program, [Header], 80);
        File.Copy(EntryPath(80), EntryPath(90));   // a valid entry, but for sm_80
        var cache = new KernelCache(_folder);
        cache.GetCubin(Program, [Header], 90);
        Assert.That((cache.RejectedEntries, cache.Compilations), Is.EqualTo((1, 1)));
    }

    [Test]
    public void WriteIsAtomicTempFileThenRename()
    {
        NvrtcCompileTests.RequireNvrtc();
        var cache = new KernelCache(_folder);
        var seen = new List<string>();
        cache.BeforeRename = (temp, final) =>
        {
            seen.Add(temp);
            Assert.That(temp, Is.Not.EqualTo(final), "the file is never written under its final name");
            Assert.That(Path.GetDirectoryName(temp), Is.EqualTo(Path.GetDirectoryName(final)), "same folder, so the rename is atomic");
            Assert.That(File.Exists(final), Is.False, "nothing is visible under the final name before the rename");
            byte[] written = File.ReadAllBytes(temp);
            Assert.That(KernelCache.Verify(written, Convert.FromHexString(Path.GetFileNameWithoutExtension(final))), Is.Not.Null,
                "the temporary file is complete before it is renamed");
        };
        cache.GetCubin(Program, [Header], 80);
        Assert.That(seen, Has.Count.EqualTo(1));
        Assert.That(File.Exists(seen[0]), Is.False, "the temporary file was renamed");
        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EqualTo(new[] { Path.GetFileName(EntryPath(80)) }));
    }

    [Test]
    public void AnUnwritableFolderOnlyCostsTheCompile()
    {
        NvrtcCompileTests.RequireNvrtc();
        string notAFolder = Path.Combine(_folder, "file");
        File.WriteAllText(notAFolder, "");
        var cache = new KernelCache(Path.Combine(notAFolder, "kernels"));
        Assert.That(cache.GetCubin(Program, [Header], 80), Is.Not.Empty);
        Assert.That((cache.Compilations, cache.DiskWriteFailures), Is.EqualTo((1, 1)));
    }

    [Test]
    public void MemoryOnlyCacheWritesNothing()
    {
        NvrtcCompileTests.RequireNvrtc();
        var cache = new KernelCache(null);
        cache.GetCubin(Program, [Header], 80);
        cache.GetCubin(Program, [Header], 80);
        Assert.That((cache.Compilations, cache.MemoryHits), Is.EqualTo((1, 1)));
        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    [Test]
    public void DifferentFilesCompileAtTheSameTime()
    {
        // The first file's compile waits (at most 20 s) for the second's to begin: under one lock for all
        // files the second could only begin after the first, so the wait would time out.
        NvrtcCompileTests.RequireNvrtc();
        var other = new KernelFile("other.cu", "extern \"C\" __global__ void other_fwd_f32(float* x) { x[0] = 2.0f; }\n");
        var cache = new KernelCache(null);
        using var firstIn = new ManualResetEventSlim();
        using var otherBegan = new ManualResetEventSlim();
        bool overlapped = false;
        cache.BeforeCompile = file =>
        {
            if (file == Program.Name)
            {
                firstIn.Set();
                overlapped = otherBegan.Wait(TimeSpan.FromSeconds(20));
            }
            else otherBegan.Set();
        };
        var first = Task.Run(() => cache.GetCubin(Program, [Header], 80));
        var second = Task.Run(() =>
        {
            Assert.That(firstIn.Wait(TimeSpan.FromSeconds(20)), "the first compile began");
            return cache.GetCubin(other, [], 80);
        });
        Task.WaitAll(first, second);
        Assert.That(overlapped, Is.True, "the second file's compile began while the first's was in progress");
        Assert.That(cache.Compilations, Is.EqualTo(2));
    }

    [Test]
    public void TheSameFileIsCompiledOnceByConcurrentRequests()
    {
        NvrtcCompileTests.RequireNvrtc();
        var cache = new KernelCache(null);
        var cubins = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4).Select(_ => cache.GetCubin(Program, [Header], 90)).ToArray();
        Assert.That(cache.Compilations, Is.EqualTo(1));
        Assert.That(cubins.Distinct().Count(), Is.EqualTo(1), "every request got the one compiled image");
    }
}

/// <summary>The cache key and the entry format; no NVRTC needed.</summary>
public class KernelCacheKeyTests
{
    private static readonly KernelFile Program = new("a.cu", "extern \"C\" __global__ void a_fwd_f32() {}");
    private static readonly KernelFile Header = new("common.cuh", "#pragma once");

    private static string Key(KernelFile program, KernelFile[] headers, int arch = 80, (int, int)? nvrtc = null, string[]? options = null)
        => Convert.ToHexStringLower(KernelCache.Key(program, headers, options ?? KernelCompiler.Options(arch), arch, nvrtc ?? (11, 8)));

    [Test]
    public void KeyCoversSourceHeadersOptionsArchitectureAndNvrtcVersion()
    {
        string baseline = Key(Program, [Header]);
        Assert.That(Key(Program, [Header]), Is.EqualTo(baseline), "deterministic");
        Assert.That(Key(Program with { Source = Program.Source + " " }, [Header]), Is.Not.EqualTo(baseline), "program source");
        Assert.That(Key(Program with { Name = "b.cu" }, [Header]), Is.Not.EqualTo(baseline), "program name");
        Assert.That(Key(Program, [Header with { Source = "#pragma once " }]), Is.Not.EqualTo(baseline), "header source");
        Assert.That(Key(Program, []), Is.Not.EqualTo(baseline), "header set");
        Assert.That(Key(Program, [Header], options: ["--gpu-architecture=sm_80"]), Is.Not.EqualTo(baseline), "options");
        Assert.That(Key(Program, [Header], arch: 90), Is.Not.EqualTo(baseline), "architecture");
        Assert.That(Key(Program, [Header], nvrtc: (12, 0)), Is.Not.EqualTo(baseline), "NVRTC version");
        Assert.That(baseline, Has.Length.EqualTo(64), "SHA-256, hex");
    }

    [Test]
    public void KeyDoesNotDependOnHeaderOrder()
    {
        var other = new KernelFile("other.cuh", "#pragma once // other");
        Assert.That(Key(Program, [Header, other]), Is.EqualTo(Key(Program, [other, Header])));
    }

    [Test]
    public void EntryRoundTripsAndEveryDamageIsDetected()
    {
        byte[] key = KernelCache.Key(Program, [Header], KernelCompiler.Options(80), 80, (11, 8));
        byte[] payload = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        byte[] entry = KernelCache.Encode(key, payload);
        Assert.That(KernelCache.Verify(entry, key), Is.EqualTo(payload));
        for (int i = 0; i < entry.Length; i += 37)
        {
            byte[] damaged = (byte[])entry.Clone();
            damaged[i] ^= 0x10;
            Assert.That(KernelCache.Verify(damaged, key), Is.Null, $"byte {i} flipped");
        }
        for (int length = 0; length < entry.Length; length += 101)
            Assert.That(KernelCache.Verify(entry.AsSpan(0, length), key), Is.Null, $"truncated to {length}");
        Assert.That(KernelCache.Verify([.. entry, 0], key), Is.Null, "trailing garbage");
    }

    [Test]
    public void DefaultFolderIsUnderTheUserCache()
    {
        string? folder = KernelCache.DefaultDirectory();
        Assert.That(folder, Does.EndWith(Path.Combine("sequential-net", "kernels")));
    }
}
