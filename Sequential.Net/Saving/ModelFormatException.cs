namespace SequentialNet.Saving;

/// <summary>
/// Thrown when a model or weights file (or model JSON) cannot be read: not a zip archive, truncated,
/// corrupted (a checksum does not match), written by a newer format version, missing an entry, or
/// describing weights whose names or shapes do not fit the model. The message names the file and the
/// problem, Keras-style ("expected … Received: …"); <see cref="FilePath"/> and <see cref="Problem"/> hold
/// the two parts. A file that does not exist is a <see cref="FileNotFoundException"/> instead.
/// </summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a message that names no file.</summary>
    public ModelFormatException() : this("", "the model file could not be read.", null) { }

    /// <summary>Creates the exception with <paramref name="message"/> as the problem, naming no file.</summary>
    public ModelFormatException(string message) : this("", message, null) { }

    /// <summary>Creates the exception with <paramref name="message"/> as the problem and its cause.</summary>
    public ModelFormatException(string message, Exception? innerException) : this("", message, innerException) { }

    /// <summary>Creates the exception for <paramref name="filePath"/> with <paramref name="problem"/> and its cause.</summary>
    /// <param name="filePath">The file (or source) that could not be read.</param>
    /// <param name="problem">What is wrong, and what was expected.</param>
    /// <param name="innerException">The lower-level error, if any (for example the zip reader's).</param>
    public ModelFormatException(string filePath, string problem, Exception? innerException)
        : base(filePath.Length == 0 ? problem : $"Cannot load \"{filePath}\": {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file (or source, e.g. "model JSON") that could not be read; "" when none was given.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
