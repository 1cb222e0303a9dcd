"""torchvision.ops: box operations, RoI pooling, losses and layers used by the models."""
from .boxes import (batched_nms, box_area, box_convert, box_iou, clip_boxes_to_image,
                    complete_box_iou, distance_box_iou, generalized_box_iou, masks_to_boxes, nms,
                    remove_small_boxes)
from .box_losses import complete_box_iou_loss, distance_box_iou_loss, generalized_box_iou_loss
from .drop_block import DropBlock2d, drop_block2d
from .feature_pyramid_network import FeaturePyramidNetwork
from .focal_loss import sigmoid_focal_loss
from .misc import (Conv2dNormActivation, Conv3dNormActivation, FrozenBatchNorm2d, MLP,
                   Permute, SqueezeExcitation)
from .poolers import MultiScaleRoIAlign
from .ps_roi_align import PSRoIAlign, ps_roi_align
from .ps_roi_pool import PSRoIPool, ps_roi_pool
from .roi_align import RoIAlign, roi_align
from .roi_pool import RoIPool, roi_pool
from .stochastic_depth import StochasticDepth, stochastic_depth

__all__ = ["batched_nms", "box_area", "box_convert", "box_iou", "clip_boxes_to_image",
           "complete_box_iou", "distance_box_iou", "generalized_box_iou", "masks_to_boxes", "nms",
           "remove_small_boxes", "complete_box_iou_loss", "distance_box_iou_loss",
           "generalized_box_iou_loss", "DropBlock2d", "drop_block2d", "FeaturePyramidNetwork",
           "sigmoid_focal_loss",
           "Conv2dNormActivation", "Conv3dNormActivation", "FrozenBatchNorm2d", "MLP", "Permute",
           "SqueezeExcitation", "MultiScaleRoIAlign", "PSRoIAlign", "ps_roi_align", "PSRoIPool",
           "ps_roi_pool", "RoIAlign", "roi_align", "RoIPool", "roi_pool", "StochasticDepth",
           "stochastic_depth"]
