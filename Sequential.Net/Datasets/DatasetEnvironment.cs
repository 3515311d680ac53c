namespace SequentialNet.Datasets;

/// <summary>The environment variables and default folders the dataset loaders consult.</summary>
internal static class DatasetEnvironment
{
    /// <summary>A folder holding dataset files directly, or one subfolder per dataset (<c>mnist</c>, <c>fashion-mnist</c>).</summary>
    public const string DataVariable = "SEQUENTIAL_NET_DATA";

    /// <summary>A mirror to download from instead of the canonical hosts; files are fetched from <c>&lt;url&gt;/&lt;name&gt;/&lt;file&gt;.gz</c>.</summary>
    public const string UrlVariable = "SEQUENTIAL_NET_DATASETS_URL";

    /// <summary>The user cache, <c>~/.sequential-net/datasets</c>; each dataset lives in a subfolder named after it.</summary>
    public static string DefaultCacheRoot =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".sequential-net", "datasets");
}
