package dev.striate.diag;

/**
 * Stable, numbered codes of every diagnostic the compiler reports. Codes are never renumbered;
 * new ones are added at the end of their group (1xx arguments, 2xx names and graph, 3xx shapes,
 * 4xx weights, 5xx requests, 6xx importing models from other tools and exporting to them, 7xx pictures
 * and reports, 8xx Apache Spark).
 */
public enum ErrorCode {
    SYNTAX("E001"),
    /** The file is not valid UTF-8 (the message gives the byte offset of the first bad byte). */
    ENCODING("E002"),
    /** Brackets or calls nested deeper than {@code Frontend.MAX_NESTING} levels. */
    NESTING_TOO_DEEP("E003"),

    UNKNOWN_OP("E101"),
    UNKNOWN_ARGUMENT("E102"),
    DUPLICATE_ARGUMENT("E103"),
    MISSING_ARGUMENT("E104"),
    WRONG_TYPE("E105"),
    BAD_VALUE("E106"),
    TOO_MANY_ARGUMENTS("E107"),
    /** A pool's padding is more than half its window (a window could hold only padding). */
    POOL_PADDING("E108"),
    /** A warning: a softmax over an axis of size 1 always outputs 1.0. */
    SOFTMAX_OVER_ONE("E109"),
    /** The train block's loss does not match the model's final activation. */
    LOSS_ACTIVATION("E110"),

    UNKNOWN_NAME("E201"),
    DUPLICATE_NAME("E202"),
    CYCLE("E203"),
    UNUSED_INPUT("E204"),
    NO_INPUT("E205"),
    UNUSED_VALUE("E206"),
    DUPLICATE_MODEL("E207"),
    WRONG_INPUT_COUNT("E208"),
    /** A model, class or package name that cannot name generated Java code. */
    BAD_CLASS_NAME("E209"),
    /** A layer name or a label with characters that are not printable text, or too long. */
    BAD_TEXT("E210"),

    SHAPE_MISMATCH("E301"),
    KERNEL_TOO_LARGE("E302"),
    CHANNEL_MISMATCH("E303"),
    WRONG_RANK("E304"),
    NOT_DIVISIBLE("E305"),
    LABEL_COUNT("E306"),
    /**
     * A size does not fit Java's int arithmetic: a dimension or tensor over the largest Java
     * array ({@code Sizes.MAX_ELEMENTS} floats), or all weights over one weights resource.
     */
    TOO_LARGE("E307"),

    MISSING_TENSOR("E401"),
    EXTRA_TENSOR("E402"),
    TENSOR_SHAPE("E403"),
    CORRUPT_WEIGHTS("E404"),
    NON_FINITE_WEIGHT("E405"),
    /** A warning: the weights file was written for a model of another name. */
    WEIGHTS_MODEL_NAME("E406"),
    /**
     * The weights manifest is not a regular file, or its {@code data} field does not name a
     * regular file inside the manifest's folder (absolute path, {@code ..}, a link leading out,
     * a device, pipe or directory).
     */
    WEIGHTS_PATH("E407"),
    /** The weights manifest, or the tensors it lists, exceed the weights ceiling. */
    WEIGHTS_TOO_LARGE("E408"),
    /**
     * The weights file records class labels that differ from the model's declared labels, or
     * that do not fit the model's output (count, printable text).
     */
    WEIGHTS_LABELS("E409"),
    /** The weights record a pixel normalization whose channels do not fit the model's input. */
    WEIGHTS_NORMALIZATION("E410"),

    NO_MODEL("E501"),
    UNKNOWN_MODEL("E502"),
    IO("E503"),
    UNSUPPORTED("E504"),
    /** The model declares more parameters than {@code --max-params} allows. */
    TOO_MANY_PARAMS("E505"),
    /** A value, or the forward pass's scratch, holds more floats than {@code --max-activation-floats} allows. */
    ACTIVATION_TOO_LARGE("E506"),
    /** {@code --single-file} asked for more weights than a Java source can reasonably embed. */
    SINGLE_FILE_TOO_LARGE("E508"),
    /** More layers than one generated class can hold (the class file's constant pool). */
    TOO_MANY_LAYERS("E509"),
    /**
     * The class folders of an image data set do not match the model's labels (declared, or
     * recorded in its weights): folders no label names, or labels without a folder for training.
     */
    DATA_LABELS("E510"),
    /**
     * The model's train block normalizes the data outside the model, but the weights do not
     * record that normalization, so the compiled class could not apply it.
     */
    UNRECORDED_NORMALIZATION("E511"),
    /**
     * The members of an ensemble disagree on what the ensemble's class takes or gives: input shape,
     * output shape, labels, or recorded pixel normalization.
     */
    ENSEMBLE_MISMATCH("E512"),
    /** An ensemble of fewer than two or too many members, or member weights of the wrong count or value. */
    ENSEMBLE_SPEC("E513"),
    /** Image-to-image training ({@code target = image}) of a model whose output shape is not its input's. */
    IMAGE_TARGET_SHAPE("E514"),
    /**
     * A loss that cannot compare images: crossentropy with image targets, or binary_crossentropy
     * with targets that can leave [0, 1].
     */
    IMAGE_TARGET_LOSS("E515"),
    /** A {@code target} setting that is not {@code classes}, {@code image} or {@code image(scale)} with a usable scale. */
    TARGET_SETTING("E516"),
    /** A {@code noise} setting that is not {@code none} or a usable {@code gaussian(std, min, max)}, or noise without image targets. */
    NOISE_SETTING("E517"),

    /** An imported file is not a readable model of its format (truncated, not ONNX, no graph). */
    IMPORT_UNREADABLE("E601"),
    /** An imported model uses an operator Striate has no layer for. */
    IMPORT_UNSUPPORTED_OP("E602"),
    /** A supported operator used in a form Striate cannot reproduce (an attribute value, an input). */
    IMPORT_UNSUPPORTED_FORM("E603"),
    /** An imported model's input has a dynamic dimension other than the batch. */
    IMPORT_DYNAMIC_SHAPE("E604"),
    /** An imported model's external tensor data is missing or lies outside the model's folder. */
    IMPORT_EXTERNAL_DATA("E605"),
    /** A safetensors file whose header or layout is malformed (length, JSON, offsets, shapes). */
    IMPORT_SAFETENSORS_MALFORMED("E606"),
    /** A safetensors tensor of an element type Striate does not convert. */
    IMPORT_SAFETENSORS_DTYPE("E607"),
    /** A state_dict that does not map onto the model's parameters (unused tensors, missing parameters, shapes). */
    IMPORT_WEIGHTS_MAPPING("E608"),

    /** A Keras file ({@code .keras} zip or {@code .h5}) that cannot be read: not a zip or HDF5 file, truncated, missing entries, bad JSON. */
    KERAS_UNREADABLE("E610"),
    /** A {@code .keras} archive refused as unsafe: entry names leading out, too many entries, oversized or over-compressed entries. */
    KERAS_UNSAFE_ARCHIVE("E611"),
    /** A Keras layer class Striate has no layer for. */
    KERAS_UNSUPPORTED_LAYER("E612"),
    /** A supported Keras layer (or model structure) in a form Striate cannot reproduce exactly. */
    KERAS_UNSUPPORTED_FORM("E613"),
    /** Keras weights that are missing, of another count, shape or type than the layer needs. */
    KERAS_WEIGHTS("E614"),
    /** An ONNX model's {@code striate.labels} metadata that is not a usable list of labels for its output. */
    IMPORT_LABELS("E615"),
    /** {@code striate export --onnx}: a layer (or a form of it) with no ONNX counterpart at the requested opset. */
    EXPORT_UNSUPPORTED("E620"),
    /** {@code striate export --onnx}: an opset outside the range the exporter writes. */
    EXPORT_OPSET("E621"),
    /** {@code striate export --onnx}: a model larger than one ONNX protobuf file holds (2 GiB). */
    EXPORT_TOO_LARGE("E622"),
    /** {@code striate show}: a layer name that names no layer of the model (or is not printable text). */
    SHOW_UNKNOWN_LAYER("E701"),
    /** {@code striate show filters}: a layer without convolution kernels. */
    SHOW_NOT_CONVOLUTION("E702"),
    /** {@code striate show}: a model whose input is not an image, or a layer whose output is not a feature map where one is needed. */
    SHOW_NOT_IMAGE("E703"),
    /** {@code striate show}: an image file that is missing, too large or cannot be decoded. */
    SHOW_BAD_IMAGE("E704"),
    /**
     * A picture or page output ({@code striate show -o}, {@code evaluate --plot}, {@code report -o}) of
     * the wrong kind (extension), a folder, in a missing folder, or not writable. (E713, once a second
     * code for the same mistake, is retired.)
     */
    SHOW_OUTPUT("E705"),
    /** {@code striate show}: a picture over the size limits (pixels or tiles). */
    SHOW_TOO_LARGE("E706"),
    /** {@code striate show}: an option value out of range ({@code --top}, {@code --filter}, {@code --maps}, {@code --limit}). */
    SHOW_OPTION("E707"),
    /** {@code striate show activations}: no image of the data activates the chosen feature maps (all are zero). */
    SHOW_NO_ACTIVATION("E708"),
    /** A training history file (show history, report) that is missing, not a file, too large or not UTF-8. */
    HISTORY_UNREADABLE("E710"),
    /** A training history file with a bad header, row, field or epoch order. */
    HISTORY_MALFORMED("E711"),
    /** A training history file with no epochs. */
    HISTORY_EMPTY("E712"),
    /** A confusion matrix picture of more classes than can be drawn. */
    PLOT_TOO_MANY_CLASSES("E714"),
    /** {@code striate show activations}: data whose images are of another shape than the model's input. */
    SHOW_DATA_SHAPE("E715"),
    // E8xx: the Spark module (docs/spark.md); its messages carry the code, it does not use this enum
    /** Spark: the model or trainer class is not on the class path or is not a generated class of the kind needed. */
    SPARK_MODEL_CLASS("E801"),
    /** Spark: an input column is missing, of a type Striate cannot score or train on, or a row of the wrong length. */
    SPARK_COLUMN("E802"),
    /** Spark: an image row (binaryFile content) that cannot be decoded. */
    SPARK_IMAGE("E803"),
    /** Spark: training settings that cannot run (tasks, batch, labels, data size, barrier slots). */
    SPARK_TRAINING("E804"),
    /** Spark: a checkpoint that cannot be written, or resumed from. */
    SPARK_CHECKPOINT("E805"),
    /** Spark: the direct gradient exchange between barrier tasks cannot connect, or loses a task. */
    SPARK_EXCHANGE("E806");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The printed code, e.g. {@code E302}. */
    public String code() {
        return code;
    }
}
