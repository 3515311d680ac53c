namespace SequentialNet.Saving;

/// <summary>Which exceptions raised while reading a file mean "this file is bad", and how to say so.</summary>
internal static class ModelFormatErrors
{
    /// <summary>The <see cref="ModelFormatException"/> for <paramref name="e"/>, or null when <paramref name="e"/> is not about the file's content.</summary>
    public static ModelFormatException? Wrap(string path, Exception e) => e switch
    {
        ModelFormatException => null,
        FormatProblem p => new ModelFormatException(path, p.Message, p.InnerException),
        InvalidDataException => new ModelFormatException(path, $"the zip archive is corrupted or truncated: {e.Message}", e),
        EndOfStreamException or IOException when e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
            => new ModelFormatException(path, $"the zip archive is corrupted or truncated: {e.Message}", e),
        NotSupportedException => new ModelFormatException(path, $"the zip archive uses a feature this reader does not support (files are written with deflate or no compression): {e.Message}", e),
        ArgumentException or InvalidOperationException or OverflowException or FormatException
            => new ModelFormatException(path, $"the file does not describe a valid model: {e.Message}", e),
        // One allocation the file asked for failed (the weights a config asks for are bounded by the file's,
        // so this needs a file near the machine's memory); nothing else was left half-made.
        OutOfMemoryException => new ModelFormatException(path, $"the file asks for more memory than this process can allocate: {e.Message}", e),
        _ => null,
    };
}
