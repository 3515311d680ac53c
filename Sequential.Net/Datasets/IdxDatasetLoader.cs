namespace SequentialNet.Datasets;

/// <summary>
/// Loads an MNIST-style dataset: finds its four IDX files (see <see cref="DatasetLocator"/>), downloads the
/// missing ones into the user cache when no place has them all (see <see cref="DatasetDownloader"/>), and
/// turns them into tensors. Every setting defaults to the real environment; tests override them through the
/// init-only properties instead of touching process-wide state.
/// </summary>
internal sealed class IdxDatasetLoader
{
    /// <summary>Creates a loader for <paramref name="spec"/> with the default environment.</summary>
    public IdxDatasetLoader(IdxDatasetSpec spec)
    {
        Spec = spec;
        SystemFolders = spec.SystemFolders;
    }

    /// <summary>The dataset loaded.</summary>
    public IdxDatasetSpec Spec { get; }

    /// <summary>Reads an environment variable; defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The folder holding one cache subfolder per dataset; defaults to <c>~/.sequential-net/datasets</c>.</summary>
    public string CacheRoot { get; init; } = DatasetEnvironment.DefaultCacheRoot;

    /// <summary>Folders a system package installs the files into; defaults to the spec's.</summary>
    public IReadOnlyList<(string Folder, string Source)> SystemFolders { get; init; }

    /// <summary>Folder URL to download from; null means <c>$SEQUENTIAL_NET_DATASETS_URL/&lt;name&gt;/</c> or the canonical source.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Expected SHA-256 of each download (keyed by <c>&lt;file&gt;.gz</c>); null means the spec's published values.</summary>
    public IReadOnlyDictionary<string, string>? Sha256 { get; init; }

    /// <summary>Where download progress goes; null means standard error.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>How long connecting to the download server may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a download may wait for data before giving up.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Finds or downloads the dataset and reads it; see <see cref="Mnist.LoadData"/>.</summary>
    public ((Tensor xTrain, Tensor yTrain), (Tensor xTest, Tensor yTest)) Load(string? directory)
    {
        var locator = new DatasetLocator(Spec, CacheRoot, SystemFolders, GetEnvironmentVariable);
        string folder = locator.Find(directory) ?? Download(locator, directory);
        return (ReadSplit(folder, IdxDatasetSpec.TrainImages, IdxDatasetSpec.TrainLabels),
                ReadSplit(folder, IdxDatasetSpec.TestImages, IdxDatasetSpec.TestLabels));
    }

    /// <summary>The URL the files are downloaded from, after the overrides.</summary>
    public Uri ResolveBaseUrl()
    {
        if (BaseUrl is not null) return BaseUrl;
        string? mirror = GetEnvironmentVariable(DatasetEnvironment.UrlVariable);
        if (string.IsNullOrWhiteSpace(mirror)) return Spec.DefaultBaseUrl;
        if (!Uri.TryCreate(mirror.TrimEnd('/') + "/" + Spec.Name + "/", UriKind.Absolute, out Uri? url))
            throw new InvalidOperationException($"{DatasetEnvironment.UrlVariable} is not an absolute URL: '{mirror}'.");
        return url;
    }

    private string Download(DatasetLocator locator, string? directory)
    {
        Uri baseUrl = ResolveBaseUrl();
        var downloader = new DatasetDownloader(baseUrl, Sha256 ?? Spec.Sha256, Progress ?? Console.Error, ConnectTimeout)
        {
            ReadTimeout = ReadTimeout,
        };
        try
        {
            downloader.DownloadMissing(locator.CacheFolder);
            return locator.CacheFolder;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            var places = locator.Places(directory);
            string message = DatasetHelp.NotFoundMessage(Spec, locator, places, baseUrl, ex);
            throw new DatasetNotFoundException(message, [.. places.Select(p => p.Folder)], ex);
        }
    }

    private static (Tensor X, Tensor Y) ReadSplit(string folder, string imagesName, string labelsName)
    {
        string imagesPath = DatasetLocator.ResolveFile(folder, imagesName) ?? throw Missing(folder, imagesName);
        string labelsPath = DatasetLocator.ResolveFile(folder, labelsName) ?? throw Missing(folder, labelsName);
        IdxArray images = IdxReader.Read(imagesPath);
        IdxArray labels = IdxReader.Read(labelsPath);
        RequireMatchingPair(images, imagesPath, labels, labelsPath);
        return (images.ToTensor(), labels.ToTensor());
    }

    private static void RequireMatchingPair(IdxArray images, string imagesPath, IdxArray labels, string labelsPath)
    {
        if (images.Shape.Length != 3)
            throw new InvalidDataException($"{imagesPath}: expected images of rank 3 (count, rows, columns), found rank {images.Shape.Length}.");
        if (labels.Shape.Length != 1)
            throw new InvalidDataException($"{labelsPath}: expected labels of rank 1, found rank {labels.Shape.Length}.");
        if (images.Shape[0] != labels.Shape[0])
            throw new InvalidDataException($"{imagesPath} holds {images.Shape[0]} images but {labelsPath} holds {labels.Shape[0]} labels.");
    }

    private static FileNotFoundException Missing(string folder, string baseName) =>
        new($"{baseName} (raw or .gz) disappeared from {folder} while loading.", Path.Combine(folder, baseName));
}
