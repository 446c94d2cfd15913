"""Reading Caffe nets (``.caffemodel`` binary, ``.prototxt`` text) without Caffe or protoc.

The message classes are built at import from a table of caffe.proto's field numbers (only the fields the
AlexNet converter reads; anything else is kept as unknown fields in binaries and skipped in text). Both the
current ``layer`` (LayerParameter, NetParameter field 100) and the deprecated V1 ``layers`` (field 2) are
modelled. Blob data (``repeated float data = 5 [packed = true]``) is also read through a twin schema that
declares it ``bytes``: a packed float field has the same wire encoding, so a 60M-value AlexNet is read by
``numpy.frombuffer`` instead of 60M Python floats; a blob written unpacked falls back to the float schema.
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format
from google.protobuf.message import DecodeError, Message

_T = descriptor_pb2.FieldDescriptorProto
_TYPES = dict(int32=_T.TYPE_INT32, int64=_T.TYPE_INT64, uint32=_T.TYPE_UINT32, uint64=_T.TYPE_UINT64,
              float=_T.TYPE_FLOAT, double=_T.TYPE_DOUBLE, bool=_T.TYPE_BOOL, string=_T.TYPE_STRING,
              bytes=_T.TYPE_BYTES)

# message -> fields (name, number, type, repeated, default). A type starting with a capital is a message or
# (in ENUMS) an enum of this package. Numbers and defaults are caffe.proto's.
MESSAGES: Dict[str, Tuple[tuple, ...]] = {
    'BlobShape': (('dim', 1, 'int64', True, None), ),
    'BlobProto': (('shape', 7, 'BlobShape', False, None), ('data', 5, 'float', True, None),
                  ('double_data', 8, 'double', True, None), ('num', 1, 'int64', False, None),
                  ('channels', 2, 'int64', False, None), ('height', 3, 'int64', False, None),
                  ('width', 4, 'int64', False, None)),
    'NetStateRule': (('phase', 1, 'Phase', False, None), ('min_level', 2, 'int32', False, None),
                     ('max_level', 3, 'int32', False, None), ('stage', 4, 'string', True, None),
                     ('not_stage', 5, 'string', True, None)),
    'ConvolutionParameter': (('num_output', 1, 'uint32', False, None), ('bias_term', 2, 'bool', False, 'true'),
                             ('pad', 3, 'uint32', True, None), ('kernel_size', 4, 'uint32', True, None),
                             ('stride', 6, 'uint32', True, None), ('dilation', 18, 'uint32', True, None),
                             ('pad_h', 9, 'uint32', False, None), ('pad_w', 10, 'uint32', False, None),
                             ('kernel_h', 11, 'uint32', False, None), ('kernel_w', 12, 'uint32', False, None),
                             ('stride_h', 13, 'uint32', False, None), ('stride_w', 14, 'uint32', False, None),
                             ('group', 5, 'uint32', False, '1'), ('axis', 16, 'int32', False, '1')),
    'InnerProductParameter': (('num_output', 1, 'uint32', False, None), ('bias_term', 2, 'bool', False, 'true'),
                              ('axis', 5, 'int32', False, '1'), ('transpose', 6, 'bool', False, 'false')),
    'LRNParameter': (('local_size', 1, 'uint32', False, '5'), ('alpha', 2, 'float', False, '1'),
                     ('beta', 3, 'float', False, '0.75'), ('norm_region', 4, 'NormRegion', False, None),
                     ('k', 5, 'float', False, '1')),
    'PoolingParameter': (('pool', 1, 'PoolMethod', False, None), ('pad', 4, 'uint32', False, '0'),
                         ('pad_h', 9, 'uint32', False, '0'), ('pad_w', 10, 'uint32', False, '0'),
                         ('kernel_size', 2, 'uint32', False, None), ('kernel_h', 5, 'uint32', False, None),
                         ('kernel_w', 6, 'uint32', False, None), ('stride', 3, 'uint32', False, '1'),
                         ('stride_h', 7, 'uint32', False, None), ('stride_w', 8, 'uint32', False, None),
                         ('global_pooling', 12, 'bool', False, 'false'),
                         ('round_mode', 13, 'RoundMode', False, None)),
    'TransformationParameter': (('scale', 1, 'float', False, '1'), ('mirror', 2, 'bool', False, 'false'),
                                ('crop_size', 3, 'uint32', False, '0'), ('mean_file', 4, 'string', False, None),
                                ('mean_value', 5, 'float', True, None)),
    'PythonParameter': (('module', 1, 'string', False, None), ('layer', 2, 'string', False, None),
                        ('param_str', 3, 'string', False, None)),
    'BatchNormParameter': (('use_global_stats', 1, 'bool', False, None),
                           ('moving_average_fraction', 2, 'float', False, '0.999'), ('eps', 3, 'float', False, '1e-5')),
    'ScaleParameter': (('axis', 1, 'int32', False, '1'), ('num_axes', 2, 'int32', False, '1'),
                       ('bias_term', 4, 'bool', False, 'false')),
    'InputParameter': (('shape', 1, 'BlobShape', True, None), ),
    'ReLUParameter': (('negative_slope', 1, 'float', False, '0'), ),
    'V0LayerParameter': (('name', 1, 'string', False, None), ('type', 2, 'string', False, None)),
    'NetParameter': (('name', 1, 'string', False, None), ('input', 3, 'string', True, None),
                     ('input_shape', 8, 'BlobShape', True, None), ('input_dim', 4, 'int64', True, None),
                     ('layer', 100, 'LayerParameter', True, None), ('layers', 2, 'V1LayerParameter', True, None)),
}
# The fields both layer formats have: (name, number in LayerParameter, number in V1LayerParameter, type, repeated).
_LAYER_FIELDS = (
    ('name', 1, 4, 'string', False), ('bottom', 3, 2, 'string', True), ('top', 4, 3, 'string', True),
    ('blobs', 7, 6, 'BlobProto', True), ('include', 8, 32, 'NetStateRule', True),
    ('exclude', 9, 33, 'NetStateRule', True), ('convolution_param', 106, 10, 'ConvolutionParameter', False),
    ('inner_product_param', 117, 17, 'InnerProductParameter', False), ('lrn_param', 118, 18, 'LRNParameter', False),
    ('pooling_param', 121, 19, 'PoolingParameter', False), ('relu_param', 123, 30, 'ReLUParameter', False),
    ('transform_param', 100, 36, 'TransformationParameter', False))
MESSAGES['LayerParameter'] = tuple((name, new, kind, many, None) for name, new, _, kind, many in _LAYER_FIELDS) + (
    ('type', 2, 'string', False, None), ('phase', 10, 'Phase', False, None),
    ('python_param', 130, 'PythonParameter', False, None), ('input_param', 143, 'InputParameter', False, None),
    ('batch_norm_param', 139, 'BatchNormParameter', False, None), ('scale_param', 142, 'ScaleParameter', False, None))
MESSAGES['V1LayerParameter'] = tuple((name, old, kind, many, None) for name, _, old, kind, many in _LAYER_FIELDS) + (
    ('type', 5, 'LayerType', False, None), ('layer', 1, 'V0LayerParameter', False, None))
# enum -> values; V1's LayerType (V1LayerParameter.type) lists every layer type of the V1 format.
ENUMS: Dict[str, Tuple[Tuple[str, int], ...]] = {
    'Phase': (('TRAIN', 0), ('TEST', 1)),
    'NormRegion': (('ACROSS_CHANNELS', 0), ('WITHIN_CHANNEL', 1)),
    'PoolMethod': (('MAX', 0), ('AVE', 1), ('STOCHASTIC', 2)),
    'RoundMode': (('CEIL', 0), ('FLOOR', 1)),
    'LayerType': (('NONE', 0), ('ABSVAL', 35), ('ACCURACY', 1), ('ARGMAX', 30), ('BNLL', 2), ('CONCAT', 3),
                  ('CONTRASTIVE_LOSS', 37), ('CONVOLUTION', 4), ('DATA', 5), ('DECONVOLUTION', 39),
                  ('DROPOUT', 6), ('DUMMY_DATA', 32), ('EUCLIDEAN_LOSS', 7), ('ELTWISE', 25), ('EXP', 38),
                  ('FLATTEN', 8), ('HDF5_DATA', 9), ('HDF5_OUTPUT', 10), ('HINGE_LOSS', 28), ('IM2COL', 11),
                  ('IMAGE_DATA', 12), ('INFOGAIN_LOSS', 13), ('INNER_PRODUCT', 14), ('LRN', 15),
                  ('MEMORY_DATA', 29), ('MULTINOMIAL_LOGISTIC_LOSS', 16), ('MVN', 34), ('POOLING', 17),
                  ('POWER', 26), ('RELU', 18), ('SIGMOID', 19), ('SIGMOID_CROSS_ENTROPY_LOSS', 27),
                  ('SILENCE', 36), ('SOFTMAX', 20), ('SOFTMAX_LOSS', 21), ('SPLIT', 22), ('SLICE', 33),
                  ('TANH', 23), ('WINDOW_DATA', 24), ('THRESHOLD', 31)),
}
# V1 enum names -> the type strings of the current format, for the few the converter tells apart.
V1_TYPE_NAMES = dict(CONVOLUTION='Convolution', INNER_PRODUCT='InnerProduct', RELU='ReLU', LRN='LRN',
                     POOLING='Pooling', DROPOUT='Dropout', FLATTEN='Flatten', SPLIT='Split', DATA='Data',
                     IMAGE_DATA='ImageData', WINDOW_DATA='WindowData', MEMORY_DATA='MemoryData',
                     DUMMY_DATA='DummyData', HDF5_DATA='HDF5Data', SOFTMAX='Softmax', SOFTMAX_LOSS='SoftmaxWithLoss',
                     ACCURACY='Accuracy', SILENCE='Silence', SIGMOID='Sigmoid',
                     SIGMOID_CROSS_ENTROPY_LOSS='SigmoidCrossEntropyLoss', EUCLIDEAN_LOSS='EuclideanLoss')


def _build_classes(package: str, blob_data_type: str) -> Dict[str, type]:
    """Message classes of ``MESSAGES`` in their own pool, with ``BlobProto.data`` of ``blob_data_type``."""
    file_proto = descriptor_pb2.FileDescriptorProto(name=f'{package}.proto', package=package, syntax='proto2')
    for enum_name, values in ENUMS.items():
        enum = file_proto.enum_type.add(name=enum_name)
        for value_name, number in values:  # top-level here (nested in caffe.proto): no two names clash
            enum.value.add(name=value_name, number=number)
    for message_name, fields in MESSAGES.items():
        message = file_proto.message_type.add(name=message_name)
        for name, number, type_name, repeated, default in fields:
            if message_name == 'BlobProto' and name == 'data':
                type_name = blob_data_type
            field = message.field.add(name=name, number=number,
                                      label=_T.LABEL_REPEATED if repeated else _T.LABEL_OPTIONAL)
            if type_name in _TYPES:
                field.type = _TYPES[type_name]
                if repeated and type_name not in ('string', 'bytes'):
                    field.options.packed = number in (1, 5, 8) and message_name in ('BlobShape', 'BlobProto')
            else:
                field.type = _T.TYPE_ENUM if type_name in ENUMS else _T.TYPE_MESSAGE
                field.type_name = f'.{package}.{type_name}'
            if default is not None:
                field.default_value = default
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f'{package}.{name}'))
            for name in MESSAGES}


# The caffe.proto layout (text prototxts, exact reads of any encoding) and its twin whose BlobProto.data holds the
# packed floats as raw little-endian bytes (fast reads and writes of the encoding Caffe itself writes).
CAFFE = _build_classes('mmmotion_caffe', 'float')
CAFFE_PACKED = _build_classes('mmmotion_caffe_packed', 'bytes')


def layer_type(layer: Message) -> str:
    """The type string of a layer of either format (V1's enum named as the current format names it)."""
    if isinstance(layer.type, str):
        return layer.type
    name = layer.DESCRIPTOR.fields_by_name['type'].enum_type.values_by_number[layer.type].name
    return V1_TYPE_NAMES.get(name, name)


def net_layers(net: Message, source: str) -> List[Message]:
    """The layers of ``net``, whichever format it uses (an error naming ``source`` for V0 nets or a mix)."""
    if len(net.layer) and len(net.layers):
        raise ValueError(f'{source}: has both `layer` and V1 `layers` entries; Caffe itself refuses such nets')
    layers = list(net.layer) or list(net.layers)
    for layer in layers:
        if not isinstance(layer.type, str) and layer.HasField('layer'):
            raise ValueError(f'{source}: layer {layer.layer.name or "?"!r} is in the V0 format (2014 and earlier); '
                             'upgrade it with Caffe\'s upgrade_net_proto_binary/text tools first')
    return layers


def read_prototxt(path: str) -> Message:
    """A text ``.prototxt`` as a ``NetParameter`` (fields not modelled here are skipped)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'prototxt not found: {path}')
    net = CAFFE['NetParameter']()
    with open(path) as f:
        text = f.read()
    try:
        text_format.Parse(text, net, allow_unknown_field=True)
    except text_format.ParseError as err:
        raise ValueError(f'{path}: not a Caffe NetParameter prototxt: {err}') from err
    net_layers(net, path)
    return net


def read_caffemodel(path: str) -> Message:
    """A binary ``.caffemodel`` as a ``NetParameter`` whose ``BlobProto.data`` are raw little-endian floats
    (see :func:`blob_array`)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'caffemodel not found: {path}')
    net = CAFFE_PACKED['NetParameter']()
    with open(path, 'rb') as f:
        data = f.read()
    try:
        net.ParseFromString(data)
    except DecodeError as err:
        raise ValueError(f'{path}: not a binary Caffe NetParameter (.caffemodel): {err}') from err
    if not len(net.layer) and not len(net.layers):
        raise ValueError(f'{path}: no layers in this file; is it a .caffemodel (binary NetParameter)?')
    net_layers(net, path)
    return net


def blob_shape(blob: Message) -> Tuple[int, ...]:
    """A blob's shape: ``shape.dim``, or the legacy (num, channels, height, width)."""
    if blob.HasField('shape'):
        return tuple(int(d) for d in blob.shape.dim)
    return tuple(int(d) for d in (blob.num, blob.channels, blob.height, blob.width))


def blob_array(blob: Message, where: str) -> np.ndarray:
    """A blob's values as a float32 array of its shape; ``where`` (file and layer) names it in errors."""
    shape = blob_shape(blob)
    values = None
    if blob.DESCRIPTOR.fields_by_name['data'].type == _T.TYPE_BYTES:  # the fast twin: packed chunks
        raw = b''.join(blob.data)
        if len(raw) % 4:
            raise ValueError(f'{where}: blob data of {len(raw)} bytes is not a float32 array')
        values = np.frombuffer(raw, dtype='<f4')
        if not values.size:  # written unpacked, or as doubles: read it through the float schema
            blob, values = CAFFE['BlobProto'].FromString(blob.SerializeToString()), None
    if values is None:
        values = np.asarray(blob.data if len(blob.data) else blob.double_data, dtype=np.float32)
    if int(np.prod(shape)) != values.size:
        raise ValueError(f'{where}: blob of shape {shape} holds {values.size} values')
    return values.reshape(shape)


def write_caffemodel(net: Message, path: str) -> None:
    """Write a ``NetParameter`` (of :data:`CAFFE` or :data:`CAFFE_PACKED`) as a binary ``.caffemodel``."""
    with open(path, 'wb') as f:
        f.write(net.SerializeToString())


def mean_from_binaryproto(path: str) -> Sequence[float]:
    """The per-channel mean (in the file's channel order, BGR for Caffe) of a ``.binaryproto`` mean image,
    averaged over its pixels as Caffe's Python classifier does."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'mean file not found: {path}')
    blob = CAFFE_PACKED['BlobProto']()
    with open(path, 'rb') as f:
        blob.ParseFromString(f.read())
    values = blob_array(blob, path)
    if values.ndim != 4 or values.shape[1] != 3:
        raise ValueError(f'{path}: expected a (1, 3, H, W) mean image, got shape {values.shape}')
    return [float(v) for v in values[0].reshape(3, -1).mean(1)]


def optional_field(message: Message, name: str) -> Optional[object]:
    """``message.<name>`` when it is set, else None (an unset optional field reads as its default)."""
    return getattr(message, name) if message.HasField(name) else None
