using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace SequentialNet.Datasets;

/// <summary>
/// Downloads a dataset's missing <c>.gz</c> files into its cache folder. Each file is streamed into a
/// uniquely named temporary file in that folder while its SHA-256 is computed; only when the checksum
/// matches is it moved into place (an atomic rename on the same volume). A mismatch deletes the temporary
/// file and throws, so the cache never holds a partial or unverified file under its final name.
/// </summary>
internal sealed class DatasetDownloader
{
    /// <summary>Largest file accepted; the biggest real one (Fashion-MNIST training images) is 26.4 MB.</summary>
    public const long MaxFileBytes = 256L << 20;

    private readonly Uri _baseUrl;
    private readonly IReadOnlyDictionary<string, string> _sha256;
    private readonly TextWriter _progress;
    private readonly TimeSpan _connectTimeout;

    /// <summary>Creates a downloader fetching <c>&lt;baseUrl&gt;&lt;file&gt;.gz</c> and checking it against <paramref name="sha256"/>.</summary>
    public DatasetDownloader(Uri baseUrl, IReadOnlyDictionary<string, string> sha256, TextWriter progress, TimeSpan connectTimeout)
    {
        _baseUrl = baseUrl;
        _sha256 = sha256;
        _progress = progress;
        _connectTimeout = connectTimeout;
    }

    /// <summary>How long a response may take to start, or a read may wait for data, before giving up.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Downloads every one of the four files that <paramref name="folder"/> does not already hold.</summary>
    /// <exception cref="InvalidDataException">A downloaded file's SHA-256 differs from the expected one.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached or answered with an error.</exception>
    /// <exception cref="TimeoutException">The server stopped sending data.</exception>
    public void DownloadMissing(string folder)
    {
        Directory.CreateDirectory(folder);
        string[] missing = [.. IdxDatasetSpec.FileNames.Where(n => DatasetLocator.ResolveFile(folder, n) is null)];
        if (missing.Length == 0) return;
        // A private thread-pool task, so that blocking on it cannot deadlock a caller's synchronization context.
        Task.Run(() => DownloadAllAsync(folder, missing)).GetAwaiter().GetResult();
    }

    private async Task DownloadAllAsync(string folder, string[] baseNames)
    {
        using HttpClient client = CreateClient();
        foreach (string baseName in baseNames)
            await DownloadFileAsync(client, folder, baseName + ".gz").ConfigureAwait(false);
    }

    private HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = _connectTimeout };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Sequential.Net", "0.1"));
        return client;
    }

    private async Task DownloadFileAsync(HttpClient client, string folder, string fileName)
    {
        string expected = ExpectedHash(fileName);
        var url = new Uri(_baseUrl, fileName);
        string target = Path.Combine(folder, fileName);
        string temp = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.part");
        try
        {
            string actual = await FetchAsync(client, url, temp).ConfigureAwait(false);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"SHA-256 mismatch for {url}: expected {expected}, got {actual}. " +
                    "The download was discarded; try again later, or fetch the file by hand and check it.");
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            DeleteQuietly(temp);
        }
    }

    private string ExpectedHash(string fileName) =>
        _sha256.TryGetValue(fileName, out string? hash)
            ? hash
            : throw new InvalidOperationException($"No SHA-256 is known for {fileName}; refusing to download it unchecked.");

    private async Task<string> FetchAsync(HttpClient client, Uri url, string temp)
    {
        var bar = new DownloadProgressBar(_progress, DownloadProgressBar.IsInteractive(_progress), url);
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            using HttpResponseMessage response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            long? total = CheckedLength(response.Content.Headers.ContentLength, url);
            await using Stream source = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            (string hash, long done) = await CopyAndHashAsync(source, temp, total, bar, timeout, url).ConfigureAwait(false);
            bar.Complete(done);
            return hash;
        }
        catch (OperationCanceledException ex)
        {
            bar.Abort();
            throw new TimeoutException($"Timed out downloading {url} (connect timeout {_connectTimeout.TotalSeconds:0} s, " +
                $"no data for {ReadTimeout.TotalSeconds:0} s).", ex);
        }
        catch
        {
            bar.Abort();
            throw;
        }
    }

    private static long? CheckedLength(long? length, Uri url) =>
        length > MaxFileBytes ? throw new InvalidDataException($"{url} is {length} bytes, more than the {MaxFileBytes} accepted.") : length;

    private async Task<(string Hash, long Done)> CopyAndHashAsync(Stream source, string temp, long? total,
        DownloadProgressBar bar, CancellationTokenSource timeout, Uri url)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long done = 0;
        while (true)
        {
            timeout.CancelAfter(ReadTimeout);
            int read = await source.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            if (read == 0) break;
            done += read;
            if (done > MaxFileBytes) throw new InvalidDataException($"{url} is larger than the {MaxFileBytes} bytes accepted.");
            sha.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), timeout.Token).ConfigureAwait(false);
            bar.Report(done, total);
        }
        target.Flush(flushToDisk: true);
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), done);
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover ".part" file is harmless; it is never read.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
