namespace SequentialNet.Backends;

/// <summary>
/// What <see cref="IBackend.CropResize"/> cuts out of each (height, width, channels) image and resizes to
/// (<see cref="Height"/>, <see cref="Width"/>, channels): either a window of exactly the output size at a
/// random offset shared by the whole batch (<see cref="RandomOffsets"/>, Keras RandomCrop in training), or
/// the fixed box (<see cref="BoxTop"/>, <see cref="BoxLeft"/>, <see cref="BoxHeight"/>, <see cref="BoxWidth"/>)
/// resized bilinearly with half-pixel centres (Keras's smart resize: the largest centred box of the output's
/// aspect ratio). A box of the output size is copied exactly.
/// </summary>
public readonly struct CropSpec
{
    /// <summary>Output height.</summary>
    public int Height { get; init; }
    /// <summary>Output width.</summary>
    public int Width { get; init; }
    /// <summary>
    /// A (Height, Width) window at offsets floor(U·(inputHeight − Height + 1)), floor(U·(inputWidth − Width + 1))
    /// (clamped to the last valid offset), the two uniforms drawn from Philox at (seed, step, stream, 0 and 1);
    /// the box fields are ignored.
    /// </summary>
    public bool RandomOffsets { get; init; }
    /// <summary>First row of the fixed box.</summary>
    public int BoxTop { get; init; }
    /// <summary>First column of the fixed box.</summary>
    public int BoxLeft { get; init; }
    /// <summary>Rows of the fixed box.</summary>
    public int BoxHeight { get; init; }
    /// <summary>Columns of the fixed box.</summary>
    public int BoxWidth { get; init; }

    /// <summary>A (height, width) window at a random offset.</summary>
    public static CropSpec Random(int height, int width) => new() { Height = height, Width = width, RandomOffsets = true };

    /// <summary>
    /// Keras's smart resize of an (inputHeight, inputWidth) image to (height, width): the largest centred box
    /// of the target aspect ratio, crop_h = max(min(H, int(W·height/width)), 1),
    /// crop_w = max(min(W, int(H·width/height)), 1), top = int((H − crop_h)/2), left = int((W − crop_w)/2).
    /// </summary>
    public static CropSpec Resize(int inputHeight, int inputWidth, int height, int width)
    {
        int boxH = Math.Max(Math.Min(inputHeight, (int)((double)inputWidth * height / width)), 1);
        int boxW = Math.Max(Math.Min(inputWidth, (int)((double)inputHeight * width / height)), 1);
        return new CropSpec
        {
            Height = height, Width = width,
            BoxTop = (int)((inputHeight - boxH) / 2.0), BoxLeft = (int)((inputWidth - boxW) / 2.0), BoxHeight = boxH, BoxWidth = boxW,
        };
    }

    /// <summary>
    /// Keras RandomCrop's choice: a random window in training when the input is larger than the output in both
    /// dimensions, the smart resize otherwise.
    /// </summary>
    public static CropSpec For(int inputHeight, int inputWidth, int height, int width, bool training)
        => training && inputHeight > height && inputWidth > width ? Random(height, width) : Resize(inputHeight, inputWidth, height, width);

    /// <summary>Why this spec cannot crop an (inputHeight, inputWidth) image, or null when it can.</summary>
    internal string? Problem(int inputHeight, int inputWidth)
    {
        if (Height <= 0 || Width <= 0) return $"expected a positive output size. Received: {Height}x{Width}";
        if (RandomOffsets)
            return inputHeight >= Height && inputWidth >= Width ? null
                : $"expected a random window no larger than the {inputHeight}x{inputWidth} input. Received: {Height}x{Width}";
        if (BoxHeight <= 0 || BoxWidth <= 0 || BoxTop < 0 || BoxLeft < 0 || (long)BoxTop + BoxHeight > inputHeight || (long)BoxLeft + BoxWidth > inputWidth)
            return $"expected a non-empty box inside the {inputHeight}x{inputWidth} input. Received: top={BoxTop}, left={BoxLeft}, {BoxHeight}x{BoxWidth}";
        return null;
    }
}
