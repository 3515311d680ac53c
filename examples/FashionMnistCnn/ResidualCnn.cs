using SequentialNet;
using SequentialNet.Layers;

namespace FashionMnistCnn;

/// <summary>
/// A small ResNet-style CNN built with the functional API: a Conv2D → BatchNormalization → ReLU stem, max pooling,
/// then residual blocks of two 3×3 convolutions with batch normalization whose input is added back (Add) before the
/// last ReLU; a block that changes the channels or strides projects its shortcut with a 1×1 Conv2D (+ batch
/// normalization), as in He et al.'s ResNet. GlobalAveragePooling2D and a Dense softmax classify.
/// </summary>
public static class ResidualCnn
{
    /// <summary>
    /// The model for (side, side, 1) images and <paramref name="classes"/> classes: stem of
    /// <paramref name="width"/> channels, one block at that width, one at twice the width with stride 2.
    /// </summary>
    public static Model Build(int side, int classes = 10, int width = 16, string name = "residual_cnn")
    {
        var image = new Input(shape: [side, side, 1], name: "image");
        var x = ConvBnRelu(image, width, strides: 1);          // (side, side, width)
        x = new MaxPooling2D(2).Apply(x);                        // (side/2, side/2, width)
        x = Block(x, width, strides: 1);                         // identity shortcut
        x = Block(x, 2 * width, strides: 2);                     // 1×1 projection shortcut, (side/4, side/4, 2·width)
        x = new GlobalAveragePooling2D().Apply(x);               // (2·width)
        var probabilities = new Dense(classes, activation: "softmax").Apply(x);
        return new Model(image, probabilities, name);
    }

    /// <summary>relu(BN(conv3×3(x))); the convolution has no bias (batch normalization's beta is the offset).</summary>
    private static KerasTensor ConvBnRelu(KerasTensor x, int filters, int strides)
        => new ReLU().Apply(new BatchNormalization().Apply(new Conv2D(filters, 3, strides: strides, padding: "same", useBias: false).Apply(x)));

    /// <summary>relu(BN(conv(relu(BN(conv(x))))) + shortcut(x)), shortcut = x, or BN(conv1×1(x)) when the shape changes.</summary>
    private static KerasTensor Block(KerasTensor x, int filters, int strides)
    {
        int channels = x.Shape[^1];
        var h = ConvBnRelu(x, filters, strides);
        h = new BatchNormalization().Apply(new Conv2D(filters, 3, padding: "same", useBias: false).Apply(h));
        var shortcut = strides == 1 && channels == filters ? x
            : new BatchNormalization().Apply(new Conv2D(filters, 1, strides: strides, useBias: false).Apply(x));
        return new ReLU().Apply(new Add().Apply(h, shortcut));
    }
}
