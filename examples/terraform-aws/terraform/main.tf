locals {
  subnet = cidrsubnet(var.vpc_cidr, 8, 1)
}

resource "aws_security_group" "kubernetes" {
  name        = "kubernetes"
  description = "Kubernetes nodes"

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.admin_cidrs
  }

  ingress {
    description = "Kubernetes API server"
    from_port   = 6443
    to_port     = 6443
    protocol    = "tcp"
    cidr_blocks = concat([var.vpc_cidr], var.admin_cidrs)
  }

  ingress {
    description = "etcd"
    from_port   = 2379
    to_port     = 2380
    protocol    = "tcp"
    self        = true
  }

  ingress {
    description = "kubelet, kube-scheduler, kube-controller-manager"
    from_port   = 10250
    to_port     = 10259
    protocol    = "tcp"
    self        = true
  }

  ingress {
    description = "NodePort Services"
    from_port   = 30000
    to_port     = 32767
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  # mistake: Calico's VXLAN runs over UDP
  ingress {
    description = "Calico VXLAN"
    from_port   = 4789
    to_port     = 4789
    protocol    = "tcp"
    self        = true
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "master" {
  count                  = var.masters
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.large"
  private_ip             = cidrhost(local.subnet, 11 + count.index)
  vpc_security_group_ids = [aws_security_group.kubernetes.id]

  tags = {
    Name = "node${count.index + 1}"
  }
}

resource "aws_instance" "worker" {
  count                  = var.workers
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.large"
  private_ip             = cidrhost(local.subnet, 14 + count.index)
  vpc_security_group_ids = [aws_security_group.kubernetes.id]

  tags = {
    Name = "node${count.index + 4}"
  }
}
