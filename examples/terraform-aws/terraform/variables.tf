variable "vpc_cidr" {
  description = "The VPC's network"
  default     = "10.0.0.0/16"
}

variable "admin_cidrs" {
  description = "Where SSH and the API server may be reached from"
  type        = list(string)
}

variable "masters" {
  default = 3
}

variable "workers" {
  default = 2
}
